namespace DeZero.Examples;

/// <summary>An example program of the book, runnable by name.</summary>
public sealed record Example(string Name, string Step, string Description, Action<string[]> Run);

/// <summary>Every example, in the book's order.</summary>
public static class Catalog
{
    public static readonly Example[] All =
    [
        new("derivatives", "step 24", "gradients of the sphere, Matyas and Goldstein-Price functions", _ => Stage1To3.Derivatives()),
        new("rosenbrock", "step 28", "minimises the Rosenbrock function by gradient descent", _ => Stage1To3.Rosenbrock()),
        new("newton", "step 33", "Newton's method on x⁴ − 2x² with second derivatives by double backprop", _ => Stage1To3.Newton()),
        new("tanh", "step 35", "derivatives of tanh up to the 6th order; draws the graph of the 7th as tanh.png", _ => Stage1To3.TanhDerivatives(graphFile: "tanh.png")),
        new("double-backprop", "step 36", "z = (dy/dx)³ + y differentiated through the backward pass", _ => Stage1To3.DoubleBackprop()),
        new("linear-regression", "step 42", "linear regression by gradient descent", _ => Stage1To3.LinearRegression()),
        new("step43", "step 43", "the neural network: linear → sigmoid → linear fitting sin(2πx) (the main example)", _ => Step43.Run()),
        new("sin-layers", "step 44", "the same network built from L.Linear layers", _ => Stage4.SinLayers()),
        new("sin-optimizer", "step 46", "an MLP trained by SGD through Model and Optimizer", _ => Stage4.SinOptimizer(plot: "sin.png")),
        new("spiral", "step 48", "spiral classification with softmax cross-entropy", _ => Stage4.Spiral(plot: "spiral.png")),
        new("spiral-loader", "step 50", "spiral with Dataset and DataLoader, train and test accuracy", _ => Stage4.SpiralLoader()),
        new("fashion-mnist", "step 51", "MLP(1000, 10) with ReLU, Adam and weight decay on Fashion-MNIST", a => Stage4.FashionMnist(Epochs(a, 5), plot: "fashion-mnist")),
        new("save-weights", "step 53", "Fashion-MNIST training that resumes from and saves my_mlp.npz", a => Stage4.FashionMnist(Epochs(a, 3), weights: "my_mlp.npz")),
        new("cnn", "stage 5", "a convolutional network on Fashion-MNIST (conv–pool ×2, two linear layers, Adam)", a => Stage5.Cnn(Epochs(a, 3), plot: "cnn")),
        new("vgg16-classify", "step 58", "classifies an image with a pretrained VGG16 (IMAGE --weights vgg16.npz); prints the top-5 ImageNet labels", Vgg16Classify.Run),
        new("lstm", "step 60", "an LSTM learns the sine curve with truncated backprop, then predicts cos(x)", a => Stage5.Lstm(Epochs(a, 100), plot: "lstm.png")),
        new("gan", "examples/gan.py", "a DCGAN on Fashion-MNIST ([epochs] [images|all]; one epoch, about 4 minutes); draws gan.png", Gan.Run),
        new("vae", "examples/vae.py", "a variational autoencoder on Fashion-MNIST ([epochs] [images|all]); draws vae.png, vae-reconstruction.png, vae-manifold.png", Vae.Run),
        new("mnist-mpi", "ChainerMN", "the fashion-mnist MLP trained data-parallel over MPI (mpirun -np 2 … -- mnist-mpi [epochs]); only rank 0 prints", a => MnistMpi.Run(Epochs(a, 5), plot: "mnist-mpi")),
        new("onnx-export", "deployment", "trains the Fashion-MNIST MLP ([epochs], one by default), exports fashion-mnist-mlp.onnx and classifies the test set with ONNX Runtime from it", a => OnnxExport.Run(Epochs(a, 1), "fashion-mnist-mlp.onnx")),
        new("grad-cam", "examples/grad_cam.py", "Grad-CAM heat map of VGG16's prediction over an image (IMAGE --weights vgg16.npz); writes grad_cam.png", GradCam.Run),
        new("style-transfer", "examples/style_transfer.py", "neural style transfer with VGG16 (CONTENT STYLE --weights vgg16.npz); writes style_transfer_N.png every 100 iterations", StyleTransfer.Run),
    ];

    // An optional first argument overrides the number of epochs.
    static int Epochs(string[] args, int fallback) =>
        args.Length > 0 && int.TryParse(args[0], out var n) && n > 0 ? n : fallback;

    public static void Print(TextWriter w)
    {
        foreach (var e in All) w.WriteLine($"  {e.Name,-20} {e.Step,-16} {e.Description}");
    }
}
