using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Elman recurrent layer with tanh (the book's <c>L.RNN</c>): h = tanh(x2h(x) + h2h(h_prev)), with h2h skipped
/// on the first step. The hidden state is kept between calls until <see cref="ResetState"/>.
/// </summary>
/// <remarks>
/// The book builds h2h with <c>in_size=in_size</c>, which breaks when the input and hidden sizes differ; here h2h
/// always takes the hidden size. It is still created eagerly exactly when <c>inSize</c> is given (and lazily on the
/// second step otherwise), so weights are drawn in the book's order.
/// </remarks>
public class RNN : Layer
{
    readonly Linear x2h;
    readonly Linear h2h;

    /// <summary>A layer with <paramref name="hiddenSize"/> hidden units; weights are drawn from <paramref name="rng"/> (default <see cref="RandomState.Global"/>).</summary>
    public RNN(int hiddenSize, int? inSize = null, RandomState? rng = null)
    {
        RecurrentLayer.CheckSizes("L.RNN", hiddenSize, inSize);
        x2h = new Linear(hiddenSize, inSize: inSize, rng: rng);
        h2h = new Linear(hiddenSize, nobias: true, inSize: inSize is null ? null : hiddenSize, rng: rng);
    }

    /// <summary>Width of the hidden state.</summary>
    public int HiddenSize => h2h.OutSize;

    /// <summary>The hidden state after the last call, or null after construction or <see cref="ResetState"/>.</summary>
    public Variable? H { get; private set; }

    /// <summary>Forgets the hidden state (the book's <c>reset_state</c>).</summary>
    public void ResetState() => H = null;

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        RecurrentLayer.CheckInput("RNN", HiddenSize, x, H);
        var hNew = H is null ? F.Tanh(x2h.Call(x)) : F.Tanh(x2h.Call(x) + h2h.Call(H));
        H = hNew;
        return hNew;
    }
}

/// <summary>Checks shared by <see cref="RNN"/> and <see cref="LSTM"/>.</summary>
static class RecurrentLayer
{
    public static void CheckSizes(string layer, int hiddenSize, int? inSize)
    {
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"{layer}: hiddenSize must be positive.");
        if (inSize <= 0) throw new ArgumentOutOfRangeException(nameof(inSize), inSize, $"{layer}: inSize must be positive.");
    }

    // A batch that differs from the state's would broadcast silently against it.
    // The layer is named "L.{kind}({hiddenSize})" in errors (formatted only when one is thrown: this runs every step).
    public static void CheckInput(string kind, int hiddenSize, Variable x, Variable? h)
    {
        var shape = x.Dims;
        if (shape.Length != 2)
            throw new ArgumentException($"L.{kind}({hiddenSize}): input must be 2-D (batch, features), got shape {ShapeUtil.Str(shape)}.", nameof(x));
        if (h is not null && h.Dims[0] != shape[0])
            throw new ArgumentException(
                $"L.{kind}({hiddenSize}): input of shape {ShapeUtil.Str(shape)} has batch size {shape[0]}, but the state has shape {ShapeUtil.Str(h.Dims)}; call ResetState() first.", nameof(x));
    }
}
