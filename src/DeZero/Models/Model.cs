using DeZero.Layers;

namespace DeZero.Models;

/// <summary>Base of user-defined networks (the book's <c>Model</c>): a <see cref="Layer"/> whose sub-layers are its fields.</summary>
public abstract class Model : Layer
{
    /// <summary>
    /// Runs the model on <paramref name="inputs"/> and draws the computational graph of its (first) output with
    /// shapes and dtypes (the book's <c>model.plot</c>); see <see cref="Utils.PlotDotGraph"/>. Returns the path written.
    /// </summary>
    public string Plot(Variable[] inputs, string toFile = "model.png")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var y = Forward(inputs)[0];
        return Utils.PlotDotGraph(y, verbose: true, toFile);
    }

    /// <summary>Draws the graph for one input.</summary>
    public string Plot(Variable x, string toFile = "model.png") => Plot([x], toFile);
}
