using System.Diagnostics;
using DeZero.Data;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Examples;

/// <summary>
/// The book's variational autoencoder (examples/vae.py) on Fashion-MNIST: a convolutional encoder gives the mean and
/// log-variance of a 2-D latent code, a sample of it (the reparameterisation trick) is decoded back to an image, and
/// the loss is the binary cross-entropy of the reconstruction plus the KL divergence from N(0, I), trained by Adam
/// with batches of 16.
/// </summary>
/// <remarks>
/// The book samples z = μ + exp(log σ²)·ε, using exp(log σ²) as the standard deviation while its KL term treats it as
/// the variance; this port samples z = μ + exp(½ log σ²)·ε so that both terms describe the same distribution.
/// </remarks>
public static class Vae
{
    public const int LatentSize = 2, BatchSize = 16;
    const int Side = 28;

    /// <summary>
    /// The runner's default, a few minutes on two cores: one pass over the first 20 000 images (1 250 updates), enough
    /// for blurry but recognisable boots, sneakers, trousers and tops. The book runs <c>vae 10 all</c>, ten epochs of
    /// all 60 000 images (37 500 updates).
    /// </summary>
    public const int DefaultEpochs = 1, DefaultImages = 20000;

    /// <summary>The encoder: (N, 1, 28, 28) images to the mean and log-variance of the latent code, each (N, latent).</summary>
    public sealed class Encoder(int latentSize) : Model
    {
        readonly L.Conv2d conv1 = new(32, kernelSize: 3, stride: 1, pad: 1);
        readonly L.Conv2d conv2 = new(64, kernelSize: 3, stride: 2, pad: 1);
        readonly L.Conv2d conv3 = new(64, kernelSize: 3, stride: 1, pad: 1);
        readonly L.Conv2d conv4 = new(64, kernelSize: 3, stride: 1, pad: 1);
        readonly L.Linear linear1 = new(32);
        readonly L.Linear linear2 = new(latentSize);
        readonly L.Linear linear3 = new(latentSize);

        /// <summary>Returns [mean, log-variance] of the code of the images in <c>xs[0]</c>.</summary>
        public override Variable[] Forward(params Variable[] xs)
        {
            var x = F.ReLU(conv1.Call(xs[0]));
            x = F.ReLU(conv2.Call(x));
            x = F.ReLU(conv3.Call(x));
            x = F.ReLU(conv4.Call(x));
            x = F.ReLU(linear1.Call(F.Flatten(x)));
            return [linear2.Call(x), linear3.Call(x)];
        }

        /// <summary>A code drawn from N(mean, exp(logVar)) as mean + σ·ε with ε ~ N(0, I), differentiable in both.</summary>
        public static Variable Sampling(Variable mean, Variable logVar, RandomState rng)
        {
            var epsilon = rng.Randn(mean.Shape).AsType(mean.DType);
            return mean + F.Exp(logVar * 0.5) * epsilon;
        }
    }

    /// <summary>The decoder: (N, latent) codes to (N, 1, 28, 28) images in (0, 1).</summary>
    public sealed class Decoder : Model
    {
        const int C = 64, H = 14, W = 14;
        readonly L.Linear linear = new(C * H * W);
        readonly L.Deconv2d deconv = new(32, kernelSize: 4, stride: 2, pad: 1);
        readonly L.Conv2d conv = new(1, kernelSize: 3, stride: 1, pad: 1);

        /// <inheritdoc/>
        public override Variable Forward(Variable z)
        {
            var x = F.ReLU(linear.Call(z));
            x = F.Reshape(x, -1, C, H, W);
            x = F.ReLU(deconv.Call(x));
            return F.Sigmoid(conv.Call(x));
        }
    }

    /// <summary>The model; calling it on a batch of images gives the loss, the negative evidence lower bound.</summary>
    public sealed class VAE(int latentSize) : Model
    {
        readonly Encoder encoder = new(latentSize);
        readonly Decoder decoder = new();

        /// <summary>The encoder (key <c>encoder</c> like the book's).</summary>
        public Encoder Encoder => encoder;

        /// <summary>The decoder (key <c>decoder</c>).</summary>
        public Decoder Decoder => decoder;

        /// <summary>Reconstruction cross-entropy plus KL(N(μ, σ²) ‖ N(0, I)), both summed per image and averaged over the batch.</summary>
        public override Variable Forward(Variable x)
        {
            var stats = encoder.Call([x]);
            var (mean, logVar) = (stats[0], stats[1]);
            var y = decoder.Call(Encoder.Sampling(mean, logVar, RandomState.Global));
            var reconstruction = F.BinaryCrossEntropy(F.Flatten(y), F.Flatten(x));
            var kl = F.Sum((mean.Pow(2) + F.Exp(logVar) - logVar - 1) * 0.5) / x.Shape[0];
            return reconstruction + kl;
        }
    }

    /// <summary>
    /// Trains on <paramref name="trainSet"/> (images (N, 1, 28, 28) in [0, 1]; Fashion-MNIST's training split when
    /// null), printing the loss per epoch; then writes to <paramref name="plot"/> 50 images decoded from z ~ N(0, I),
    /// and next to it <c>-reconstruction</c> (10 training images over their decoded means) and <c>-manifold</c> (the
    /// book's 15×15 grid of codes at normal quantiles 0.05 … 0.95). Returns the average loss of every epoch.
    /// </summary>
    /// <param name="epochs">Passes over the training images (the book runs 10).</param>
    /// <param name="trainSet">The images; labels are ignored.</param>
    /// <param name="plot">Where to write the samples (a .png path); null for no figures.</param>
    /// <param name="batchSize">Images per batch.</param>
    /// <param name="limit">Use only the first <paramref name="limit"/> training images (null for all).</param>
    public static List<double> Run(int epochs, Dataset? trainSet = null, string? plot = "vae.png",
        int batchSize = BatchSize, int? limit = null)
    {
        if (epochs < 1) throw new ArgumentException($"Vae.Run: epochs must be positive, got {epochs}.", nameof(epochs));
        trainSet = Generative.Take(trainSet ?? Generative.FashionMnist(), limit);
        var vae = new VAE(LatentSize);
        var optimizer = new Adam().Setup(vae);
        var loader = new DataLoader(trainSet, batchSize);

        var history = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double sum = 0;
            int n = 0;
            var progress = new Progress($"epoch {epoch + 1}/{epochs}", loader.MaxIter);
            foreach (var (x, _) in loader)
            {
                var loss = vae.Call(x);
                vae.ClearGrads();
                loss.Backward();
                optimizer.Update();
                sum += (double)loss.Data;
                n++;
                progress.Step(sum / n);
            }
            progress.Done();
            history.Add(sum / n);
            Console.WriteLine($"epoch: {epoch + 1}, loss: {sum / n:F4}  ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        if (plot is not null) Draw(vae, trainSet, plot);
        return history;
    }

    static void Draw(VAE vae, Dataset trainSet, string plot)
    {
        using var _ = Config.NoGrad();
        var z = RandomState.Global.Randn(50, LatentSize).AsType(DType.Float32);
        Figures.Images(plot, vae.Decoder.Call(z).Data, columns: 10);

        int count = Math.Min(10, trainSet.Count);
        var originals = trainSet.GetBatch(Enumerable.Range(0, count).ToArray()).x;
        var decoded = vae.Decoder.Call(vae.Encoder.Call([originals])[0]).Data;
        Figures.Images(Sibling(plot, "reconstruction"), NDArray.Concatenate([originals, decoded]), columns: count);

        const int n = 15;
        var q = new double[n];
        for (int i = 0; i < n; i++) q[i] = NormalQuantile(0.05 + 0.9 * i / (n - 1));
        // Row i, column j decodes the code (q[j], q[i]), as the book lays out its figure.
        var codes = new double[n * n * LatentSize];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                (codes[(i * n + j) * LatentSize], codes[(i * n + j) * LatentSize + 1]) = (q[j], q[i]);
        var grid = vae.Decoder.Call(new NDArray(codes, n * n, LatentSize).AsType(DType.Float32)).Data;
        Figures.Images(Sibling(plot, "manifold"), grid.Reshape(n * n, Side, Side), columns: n);
    }

    // "out/vae.png" → "out/vae-manifold.png".
    static string Sibling(string path, string suffix) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}-{suffix}{Path.GetExtension(path)}");

    /// <summary>
    /// The standard normal quantile (SciPy's <c>norm.ppf</c>) for 0.02425 ≤ p ≤ 0.97575, by the central rational function
    /// of Acklam's approximation (relative error below 1.2e-9); the manifold needs 0.05 … 0.95.
    /// </summary>
    public static double NormalQuantile(double p)
    {
        if (!(p >= 0.02425 && p <= 0.97575))
            throw new ArgumentOutOfRangeException(nameof(p), $"Vae.NormalQuantile: p must be in [0.02425, 0.97575], got {p}.");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double r = p - 0.5, t = r * r;
        return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * r
            / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
    }
}
