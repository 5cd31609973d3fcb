// The book's step 43: a two-layer network (linear -> sigmoid -> linear) learns sin(2*pi*x) from 100 noisy points.
// It prints the loss every 1000 iterations, starting at variable(0.8473695850105871) like the book.
// F (DeZero.Functions), L (DeZero.Layers) and DeZero are imported for every file in DeZeroApp.csproj.
RandomState.Global.Seed(0);
var x = RandomState.Global.Rand(100, 1);
var y = NDArray.Sin(2 * Math.PI * x) + RandomState.Global.Rand(100, 1);

var (W1, b1) = (new Variable(0.01 * RandomState.Global.Randn(1, 10)), new Variable(NDArray.Zeros(10)));
var (W2, b2) = (new Variable(0.01 * RandomState.Global.Randn(10, 1)), new Variable(NDArray.Zeros(1)));
Variable[] parameters = [W1, b1, W2, b2];

Variable Predict(Variable x) => F.Linear(F.Sigmoid(F.Linear(x, W1, b1)), W2, b2);

for (int i = 0; i < 10000; i++)
{
    var loss = F.MeanSquaredError(y, Predict(x));
    foreach (var p in parameters) p.ClearGrad();
    loss.Backward();
    foreach (var p in parameters) p.Data -= 0.2 * p.Grad!.Data;
    if (i % 1000 == 0) Console.WriteLine(loss);
}
