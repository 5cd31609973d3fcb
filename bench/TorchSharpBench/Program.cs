using System.Diagnostics;
using System.Text.Json;
using DeZero.Bench;
using TorchSharp;
using static TorchSharp.torch;

// The TorchSharp worker of bench/DeZero.Bench: `dotnet TorchSharpBench.dll <workload>` prints JSON result lines.
TorchSharpBench.ElfPatch.MakeVersionWeak(AppContext.BaseDirectory, "GLIBCXX_3.4.32");
torch.set_num_threads(2);
Console.WriteLine(JsonSerializer.Serialize(Measure.Run("TorchSharp", new TorchSharpBench.Workloads(), args[0])));

namespace TorchSharpBench
{
    sealed class Workloads : IWorkloads
    {
        public double Seed()
        {
            var x = rand(100, 1, dtype: float64);
            var y = sin(2 * Math.PI * x) + rand(100, 1, dtype: float64);
            var W1 = (0.01 * randn(1, 10, dtype: float64)).requires_grad_();
            var b1 = zeros(10, dtype: float64).requires_grad_();
            var W2 = (0.01 * randn(10, 1, dtype: float64)).requires_grad_();
            var b2 = zeros(1, dtype: float64).requires_grad_();
            Tensor[] ps = [W1, b1, W2, b2];
            return Measure.Rate(10_000, () =>
            {
                using var scope = NewDisposeScope();
                var h = sigmoid(x.matmul(W1) + b1);
                var diff = y - (h.matmul(W2) + b2);
                var loss = (diff * diff).sum() / 100;
                foreach (var p in ps) p.grad?.zero_();
                loss.backward();
                using (no_grad())
                    foreach (var p in ps) p.sub_(0.2 * p.grad!);
            });
        }

        static double Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor t, int iters)
        {
            var opt = optim.SGD(model.parameters(), 0.01);
            var lossFn = nn.CrossEntropyLoss();
            return Measure.Rate(iters, () =>
            {
                using var scope = NewDisposeScope();
                var loss = lossFn.forward(model.forward(x), t);
                opt.zero_grad();
                loss.backward();
                opt.step();
            });
        }

        public double Mlp()
        {
            var model = nn.Sequential(nn.Linear(784, 1000), nn.ReLU(), nn.Linear(1000, 1000), nn.ReLU(), nn.Linear(1000, 10));
            return 100 * Train(model, rand(100, 784), randint(0, 10, [100]), 200);
        }

        public double Cnn()
        {
            var model = nn.Sequential(
                nn.Conv2d(1, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(3136, 10));
            return 64 * Train(model, rand(64, 1, 28, 28), randint(0, 10, [64]), 30);
        }

        public double Lstm()
        {
            var cell = nn.LSTMCell(1, 100);
            var fc = nn.Linear(100, 1);
            var parameters = cell.parameters().Concat(fc.parameters());
            var opt = optim.Adam(parameters);
            var wave = Enumerable.Range(0, 1001).Select(i => (float)Math.Sin(i * 2 * Math.PI / 25)).ToArray();
            Tensor h = zeros(1, 100), c = zeros(1, 100), loss = zeros(1);
            int step = 0;
            void Step()
            {
                var x = tensor(new[] { wave[step % 1000] }).reshape(1, 1);
                var t = tensor(new[] { wave[step % 1000 + 1] }).reshape(1, 1);
                (h, c) = cell.forward(x, (h, c));
                var d = fc.forward(h) - t;
                loss = loss + (d * d).sum();
                if (++step % 30 == 0)
                {
                    opt.zero_grad();
                    loss.backward();
                    opt.step();
                    h = h.detach();
                    c = c.detach();
                    loss = zeros(1);
                }
            }
            return Measure.Rate(1000, Step, warmup: 30);
        }

        public Action MatMul(int n)
        {
            var a = rand(n, n);
            var b = rand(n, n);
            return () => a.matmul(b).Dispose();
        }

        public double HigherOrder() => Measure.Rate(200, () =>
        {
            using var scope = NewDisposeScope();
            var x = tensor(1.0, dtype: float64).requires_grad_();
            var g = tanh(x);
            for (int i = 0; i < 6; i++)
                g = torch.autograd.grad([g], [x], retain_graph: true, create_graph: true)[0];
        });
    }
}
