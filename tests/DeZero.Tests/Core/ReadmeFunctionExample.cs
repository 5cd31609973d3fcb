namespace DeZero.Tests.Core;

// The README's "Writing your own Function" example, line for line: ReadmeFunctionExampleTests checks that the
// README's code block is this code, and runs it.
static class ReadmeFunctionExample
{
    public static void Run()
    {
        var x = new Variable(2.0);
        var y = new Cube().Apply(x);                // a new instance for each application
        y.Backward(createGraph: true);              // record the backward pass too
        var gx = x.GetGrad();                       // dy/dx = 3x², itself a variable with a graph
        x.ClearGrad();
        gx.Backward();                              // d²y/dx² = 6x
        Console.WriteLine($"y = {(double)y}, dy/dx = {(double)gx}, d2y/dx2 = {(double)x.GetGrad()}");
    }
}

// y = x³. Forward computes on arrays; Backward is written with variables, so it can be differentiated again.
// [KeepsNoGradients] promises that Backward keeps no reference to the gradients it receives or returns, so backward
// may reuse their buffers; without the mark (the safe default) they are left to the garbage collector.
[KeepsNoGradients]
sealed class Cube : UnaryFunction
{
    protected override NDArray Forward(NDArray x) => x * x * x;
    protected override Variable Backward(Variable gy) => gy * 3.0 * X * X;
}
