using DeZero.Data;

namespace DeZero.Tests.Data;

/// <summary>Dataset indexing, batches and the loaders' argument checks (loaders here never shuffle, so no global draws).</summary>
public class DatasetTests
{
    static readonly NDArray X = NDArray.Arange(24).AsType(DType.Float32).Reshape(4, 2, 3);
    static readonly NDArray T = NDArray.FromArray(new long[] { 7, 8, 9, 10 });

    [Fact]
    public void IndexerGivesOneExampleAndItsLabel()
    {
        var ds = new Dataset(X, T);
        Assert.Equal(4, ds.Count);
        var (x, t) = ds[2];
        Assert.Equal(new[] { 2, 3 }, x.Shape);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal(Enumerable.Range(12, 6).Select(i => (float)i), x.ToArray<float>());
        Assert.Empty(t.Shape);
        Assert.Equal(9L, (long)t);
        Assert.Equal(10L, (long)ds[-1].t);
        Assert.Throws<IndexOutOfRangeException>(() => ds[4]);
        Assert.Throws<IndexOutOfRangeException>(() => ds[-5]);
    }

    [Fact]
    public void ExamplesAreCopies()
    {
        var ds = new Dataset(X.Copy(), T);
        ds[0].x.Fill(-1);
        Assert.Equal(0f, ds[0].x.ToArray<float>()[0]);
    }

    [Fact]
    public void TransformsApplyToExamplesAndLabels()
    {
        var ds = new Dataset(X, T, x => x * 10.0, t => t + 1L);
        Assert.Equal(new[] { 60f, 70f, 80f, 90f, 100f, 110f }, ds[1].x.ToArray<float>());
        Assert.Equal(9L, (long)ds[1].t);
        ds.Transform = null;
        Assert.Equal(6f, ds[1].x.ToArray<float>()[0]);
    }

    [Fact]
    public void BatchesAreTheSameWithAndWithoutTransforms()
    {
        var plain = new Dataset(X, T);
        var identity = new Dataset(X, T, x => x, t => t);
        int[] idx = [3, 0, 3];
        var (px, pt) = plain.GetBatch(idx);
        var (ix, it) = identity.GetBatch(idx);
        Reference.AssertClose(ix, px, 0, 0);
        Reference.AssertClose(it, pt, 0, 0);
        Assert.Equal(new[] { 3, 2, 3 }, px.Shape);
        Assert.Equal(new[] { 10L, 7L, 10L }, pt.ToArray<long>());
        Assert.Equal(X.ToArray<float>().Skip(18).Take(6), px.ToArray<float>().Take(6));
        Assert.Throws<IndexOutOfRangeException>(() => plain.GetBatch([0, 4]));
        Assert.Throws<IndexOutOfRangeException>(() => identity.GetBatch([-1]));
        Assert.Throws<ArgumentException>(() => plain.GetBatch([]));
    }

    [Fact]
    public void UnlabelledDataGivesEmptyTargets()
    {
        var ds = new Dataset(X);
        Assert.Null(ds.Label);
        Assert.Equal(new[] { 0 }, ds[0].t.Shape);
        var batches = new DataLoader(ds, 3, shuffle: false).ToList();
        Assert.Equal(new[] { 3, 0 }, batches[0].t.Shape);
        Assert.Equal(new[] { 1, 0 }, batches[1].t.Shape);
        Assert.Equal(new[] { 1, 2, 3 }, batches[1].x.Shape);
        var transformed = new DataLoader(new Dataset(X, null, x => x), 3, shuffle: false).First();
        Assert.Equal(new[] { 3, 0 }, transformed.t.Shape);
    }

    [Fact]
    public void OneDimensionalDataGivesScalarExamples()
    {
        var ds = new Dataset(NDArray.Arange(5), NDArray.Arange(5) + 1L);
        Assert.Empty(ds[1].x.Shape);
        var (x, t) = new DataLoader(ds, 2, shuffle: false).Last();
        Assert.Equal(new[] { 1 }, x.Shape);
        Assert.Equal(new[] { 4L }, x.ToArray<long>());
        Assert.Equal(new[] { 5L }, t.ToArray<long>());
    }

    // A dataset in the book's BigData style: examples made on demand by an overridden indexer.
    sealed class Squares : Dataset
    {
        public Squares() : base(true) => Data = NDArray.Zeros(6);
        public override (NDArray x, NDArray t) this[int index] => (NDArray.Scalar(index * index), NDArray.Scalar(index, DType.Int64));
    }

    [Fact]
    public void OverriddenIndexerIsUsedForBatches()
    {
        var batches = new DataLoader(new Squares(), 4, shuffle: false).ToList();
        Assert.Equal(new[] { 0.0, 1, 4, 9 }, batches[0].x.ToArray<double>());
        Assert.Equal(new[] { 16.0, 25 }, batches[1].x.ToArray<double>());
        Assert.Equal(new[] { 4L, 5L }, batches[1].t.ToArray<long>());
    }

    // The book's way to define a dataset: fill the arrays in Prepare.
    sealed class Prepared(bool train) : Dataset(train)
    {
        protected override void Prepare() => (Data, Label) = (NDArray.Full([Train ? 3 : 2, 2], 1.5), NDArray.Arange(Train ? 3 : 2));
    }

    [Fact]
    public void PrepareRunsInTheConstructorWithTrainSet()
    {
        Assert.Equal(3, new Prepared(true).Count);
        Assert.Equal(2, new Prepared(false).Count);
        Assert.Equal(new[] { 1.5, 1.5 }, new Prepared(false)[1].x.ToArray<double>());
    }

    sealed class Unprepared() : Dataset(true);

    [Fact]
    public void MissingDataIsReported()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Unprepared().Count);
        Assert.Contains("Unprepared", ex.Message);
    }

    [Fact]
    public void LoaderCountsIterationsAndRestartsEachEpoch()
    {
        var loader = new DataLoader(new Dataset(X, T), 3, shuffle: false);
        Assert.Equal(2, loader.MaxIter);
        Assert.Equal(4, loader.DataSize);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var batches = loader.ToList();
            Assert.Equal(new[] { 7L, 8L, 9L }, batches[0].t.ToArray<long>());
            Assert.Equal(new[] { 10L }, batches[1].t.ToArray<long>());
            Assert.Equal(0, loader.Iteration);
        }
        Assert.Single(new DataLoader(new Dataset(X, T), 100, shuffle: false));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var ds = new Dataset(X, T);
        Assert.Contains("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(ds, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(ds, -3, shuffle: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeqDataLoader(ds, 0));
        var empty = new Dataset(NDArray.Zeros(0, 2), NDArray.Zeros([0], DType.Int64));
        Assert.Contains("no examples", Assert.Throws<ArgumentException>(() => new DataLoader(empty, 2, shuffle: false)).Message);
        Assert.Throws<ArgumentException>(() => new SeqDataLoader(empty, 2));
        Assert.Contains("label has 3", Assert.Throws<ArgumentException>(() => new Dataset(X, NDArray.Arange(3))).Message);
        Assert.Throws<ArgumentException>(() => new Dataset(NDArray.Scalar(1.0)));
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, 2));
    }
}
