using DeZero.IO;

namespace DeZero.Tests.IO;

/// <summary>A failed save names the path the caller gave, never the hidden temporary file it writes through.</summary>
public sealed class SaveErrorTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-save-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    void NamesThePath(Action save, string path)
    {
        var e = Assert.ThrowsAny<IOException>(save);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void MissingFolder()
    {
        var path = Path.Combine(dir, "no-such-folder", "w.npz");
        NamesThePath(() => Npz.Save(path, new Dictionary<string, NDArray> { ["a"] = NDArray.Ones(2) }), path);
        NamesThePath(() => Npy.Save(path, NDArray.Ones(2)), path);
        NamesThePath(() => new DeZero.Layers.Linear(2, inSize: 2, rng: new RandomState(0)).SaveWeights(path), path);
    }

    [Fact]
    public void FolderIsAFile()
    {
        var file = Path.Combine(dir, "file");
        File.WriteAllText(file, "x");
        var path = Path.Combine(file, "w.npy");
        NamesThePath(() => Npy.Save(path, NDArray.Ones(2)), path);
    }

    [Fact]
    public void TargetIsAFolder()
    {
        var path = Path.Combine(dir, "folder.npy");
        Directory.CreateDirectory(path);
        NamesThePath(() => Npy.Save(path, NDArray.Ones(2)), path);
        Assert.True(Directory.Exists(path));
    }
}
