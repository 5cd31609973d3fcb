using System.Diagnostics;
using DeZero.Data;
using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Examples;

/// <summary>
/// The book's DCGAN (examples/gan.py) on Fashion-MNIST: a generator turns 62 normal noise values into a 28×28 image
/// through Linear → BatchNorm → ReLU layers and two transposed convolutions, a discriminator of two strided
/// convolutions with leaky ReLU and two linear layers scores real against generated images, both trained by
/// Adam(0.0002, 0.5) on binary cross-entropy with batches of 128.
/// </summary>
public static class Gan
{
    public const int HiddenSize = 62, BatchSize = 128;
    const int FcChannels = 128, FcSide = 7;

    /// <summary>
    /// The runner's default (about 5 minutes on the idle 2-core development machine): one epoch of all 60 000 images (468 updates), after which
    /// clothes are recognisable (shapes appear after about 250 updates; 100 updates give grey noise). The book runs
    /// <c>gan 5 all</c>.
    /// </summary>
    public const int DefaultEpochs = 1, DefaultImages = 60000;

    /// <summary>The generator: (N, 62) noise to (N, 1, 28, 28) images in (0, 1).</summary>
    public static Sequential Generator() => new(
        new L.Linear(1024),
        new L.BatchNorm(),
        new Fn(F.ReLU),
        new L.Linear(FcChannels * FcSide * FcSide),
        new L.BatchNorm(),
        new Fn(F.ReLU),
        new Fn(x => F.Reshape(x, -1, FcChannels, FcSide, FcSide)),
        new L.Deconv2d(FcChannels / 2, kernelSize: 4, stride: 2, pad: 1),
        new L.BatchNorm(),
        new Fn(F.ReLU),
        new L.Deconv2d(1, kernelSize: 4, stride: 2, pad: 1),
        new Fn(F.Sigmoid));

    /// <summary>The discriminator: (N, 1, 28, 28) images to (N, 1) probabilities of being real.</summary>
    public static Sequential Discriminator() => new(
        new L.Conv2d(64, kernelSize: 4, stride: 2, pad: 1),
        new Fn(x => F.LeakyReLU(x)),
        new L.Conv2d(128, kernelSize: 4, stride: 2, pad: 1),
        new L.BatchNorm(),
        new Fn(x => F.LeakyReLU(x)),
        new Fn(F.Flatten),
        new L.Linear(1024),
        new L.BatchNorm(),
        new Fn(x => F.LeakyReLU(x)),
        new L.Linear(1),
        new Fn(F.Sigmoid));

    /// <summary>
    /// Trains on <paramref name="trainSet"/> (images (N, 1, 28, 28) in [0, 1]; Fashion-MNIST's training split when
    /// null), printing both losses per epoch, then draws 25 images from fixed noise into <paramref name="plot"/>.
    /// Returns the average generator and discriminator loss of every epoch.
    /// </summary>
    /// <param name="epochs">Passes over the training images (the book runs 5).</param>
    /// <param name="trainSet">The real images; labels are ignored.</param>
    /// <param name="plot">Where to write the grid of generated images; null for none.</param>
    /// <param name="batchSize">Images per batch; like the book, a smaller last batch is skipped.</param>
    /// <param name="limit">Use only the first <paramref name="limit"/> training images (null for all).</param>
    public static List<(double Generator, double Discriminator)> Run(int epochs, Dataset? trainSet = null,
        string? plot = "gan.png", int batchSize = BatchSize, int? limit = null)
    {
        if (epochs < 1) throw new ArgumentException($"Gan.Run: epochs must be positive, got {epochs}.", nameof(epochs));
        trainSet = Generative.Take(trainSet ?? Generative.FashionMnist(), limit);
        if (trainSet.Count < batchSize)
            throw new ArgumentException($"Gan.Run: {trainSet.Count} training images make no full batch of {batchSize}.", nameof(trainSet));
        var rng = RandomState.Global;
        var (gen, dis) = Networks(rng);
        var optG = new Adam(alpha: 0.0002, beta1: 0.5).Setup(gen);
        var optD = new Adam(alpha: 0.0002, beta1: 0.5).Setup(dis);
        var loader = new DataLoader(trainSet, batchSize);
        var labelReal = NDArray.Ones([batchSize], DType.Int64);
        var labelFake = NDArray.Zeros([batchSize], DType.Int64);
        var testZ = rng.Randn(25, HiddenSize).AsType(DType.Float32);

        var history = new List<(double, double)>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double sumG = 0, sumD = 0;
            int n = 0;
            var progress = new Progress($"epoch {epoch + 1}/{epochs} generator", loader.MaxIter);
            foreach (var (x, _) in loader)
            {
                if (x.Length != batchSize) continue;
                // (1) the discriminator learns to tell real from generated images; fake.Data cuts the generator off.
                var z = rng.Randn(batchSize, HiddenSize).AsType(DType.Float32);
                var fake = gen.Call(z);
                var lossD = F.BinaryCrossEntropy(dis.Call(x), labelReal) + F.BinaryCrossEntropy(dis.Call(fake.Data), labelFake);
                gen.ClearGrads();
                dis.ClearGrads();
                lossD.Backward();
                optD.Update();
                // Read here, lossD's graph (two discriminator passes) is garbage during the generator's step.
                sumD += (double)lossD.Data;

                // (2) the generator learns to make the discriminator call its images real.
                var lossG = F.BinaryCrossEntropy(dis.Call(fake), labelReal);
                gen.ClearGrads();
                dis.ClearGrads();
                lossG.Backward();
                optG.Update();

                sumG += (double)lossG.Data;
                n++;
                progress.Step(sumG / n);
            }
            progress.Done();
            history.Add((sumG / n, sumD / n));
            Console.WriteLine($"epoch: {epoch + 1}, loss_g: {sumG / n:F4}, loss_d: {sumD / n:F4}  ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        if (plot is not null)
        {
            NDArray samples;
            using (Config.NoGrad())
            using (Config.TestMode())
                samples = gen.Call(testZ).Data;
            Figures.Images(plot, samples, columns: 5);
        }
        return history;
    }

    /// <summary>
    /// The generator and discriminator initialised like the book's: one dummy pass creates the lazily shaped
    /// weights, then every W of a Linear, Conv2d or Deconv2d layer is redrawn from N(0, 0.02²) by <paramref name="rng"/>.
    /// </summary>
    /// <remarks>
    /// The dummy batch is float32 because BatchNorm takes its dtype from its first input: the book's float64 batch
    /// makes its BatchNorm parameters float64, and everything after them then runs in float64, about twice as slow.
    /// </remarks>
    public static (Sequential Generator, Sequential Discriminator) Networks(RandomState rng)
    {
        var gen = Generator();
        var dis = Discriminator();
        dis.Call(gen.Call(rng.Rand(1, HiddenSize).AsType(DType.Float32)));
        foreach (var layer in dis.Layers.Concat(gen.Layers))
        {
            var w = layer switch { L.Linear l => l.W, L.Conv2d c => c.W, L.Deconv2d d => d.W, _ => null };
            if (w is not null) w.Data = (0.02 * rng.Randn(w.Data.Shape)).AsType(w.Data.DType);
        }
        return (gen, dis);
    }

    /// <summary>A function as a parameterless layer, like the book's lambdas and <c>F.relu</c> inside <c>Sequential</c>.</summary>
    public sealed class Fn(Func<Variable, Variable> f) : Layer
    {
        /// <inheritdoc/>
        public override Variable Forward(Variable x) => f(x);
    }
}

/// <summary>The data and command-line arguments of the generative examples (<see cref="Gan"/>, <see cref="Vae"/>).</summary>
public static class Generative
{
    /// <summary>Fashion-MNIST's training images as (N, 1, 28, 28) float32 in [0, 1], scaled once rather than per batch.</summary>
    public static Dataset FashionMnist()
    {
        var raw = new FashionMNIST(train: true, transform: x => x);
        return new Dataset(raw.Data / 255.0, raw.Label);
    }

    /// <summary>The first <paramref name="limit"/> examples of a dataset (all of them when null or larger).</summary>
    public static Dataset Take(Dataset set, int? limit)
    {
        if (limit is not int n || n >= set.Count) return set;
        if (n <= 0) throw new ArgumentException($"Generative.Take: limit must be positive, got {n}.", nameof(limit));
        return new Dataset(set.Data[..n], set.Label?[..n], set.Transform, set.TargetTransform);
    }
}
