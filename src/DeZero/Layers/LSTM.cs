using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Long short-term memory layer (the book's <c>L.LSTM</c>). Gates f, i, o (sigmoid) and update u (tanh) are
/// x2g(x) + h2g(h_prev) (h2g skipped on the first step); c = f·c_prev + i·u and h = o·tanh(c). The state (h, c)
/// is kept between calls until <see cref="ResetState"/>.
/// </summary>
/// <remarks>
/// The sub-layers are declared in the book's order (x2f x2i x2o x2u with bias, h2f h2i h2o h2u without), so their
/// keys and the order in which their weights are drawn match the book: the h2* weights are drawn at construction,
/// the x2* ones too when <c>inSize</c> is given, else on the first call.
/// </remarks>
public class LSTM : Layer
{
    readonly Linear x2f, x2i, x2o, x2u;
    readonly Linear h2f, h2i, h2o, h2u;

    /// <summary>A layer with <paramref name="hiddenSize"/> hidden units; weights are drawn from <paramref name="rng"/> (default <see cref="RandomState.Global"/>).</summary>
    public LSTM(int hiddenSize, int? inSize = null, RandomState? rng = null)
    {
        RecurrentLayer.CheckSizes("L.LSTM", hiddenSize, inSize);
        x2f = new Linear(hiddenSize, inSize: inSize, rng: rng);
        x2i = new Linear(hiddenSize, inSize: inSize, rng: rng);
        x2o = new Linear(hiddenSize, inSize: inSize, rng: rng);
        x2u = new Linear(hiddenSize, inSize: inSize, rng: rng);
        h2f = new Linear(hiddenSize, nobias: true, inSize: hiddenSize, rng: rng);
        h2i = new Linear(hiddenSize, nobias: true, inSize: hiddenSize, rng: rng);
        h2o = new Linear(hiddenSize, nobias: true, inSize: hiddenSize, rng: rng);
        h2u = new Linear(hiddenSize, nobias: true, inSize: hiddenSize, rng: rng);
    }

    /// <summary>Width of the hidden and cell states.</summary>
    public int HiddenSize => h2f.OutSize;

    /// <summary>The hidden state after the last call, or null after construction or <see cref="ResetState"/>.</summary>
    public Variable? H { get; private set; }

    /// <summary>The cell state after the last call, or null after construction or <see cref="ResetState"/>.</summary>
    public Variable? C { get; private set; }

    /// <summary>Forgets the hidden and cell states (the book's <c>reset_state</c>).</summary>
    public void ResetState() => (H, C) = (null, null);

    /// <inheritdoc/>
    public override Variable Forward(Variable x)
    {
        RecurrentLayer.CheckInput("LSTM", HiddenSize, x, H);
        Variable f, i, o, u;
        if (H is null)
        {
            f = F.Sigmoid(x2f.Call(x));
            i = F.Sigmoid(x2i.Call(x));
            o = F.Sigmoid(x2o.Call(x));
            u = F.Tanh(x2u.Call(x));
        }
        else
        {
            f = F.Sigmoid(Gate(x2f, h2f, x, H));
            i = F.Sigmoid(Gate(x2i, h2i, x, H));
            o = F.Sigmoid(Gate(x2o, h2o, x, H));
            u = F.Tanh(Gate(x2u, h2u, x, H));
        }
        var cNew = C is null ? i * u : f * C + i * u;
        var hNew = o * F.Tanh(cNew);
        (H, C) = (hNew, cNew);
        return hNew;
    }

    // x2g(x) + h2g(h) as one affine function with x2g(x) as its bias: one graph node and one array per gate instead of
    // two, equal up to the rounding of adding x2g(x) before the product rather than after (as F.Linear adds a bias).
    static Variable Gate(Linear x2g, Linear h2g, Variable x, Variable h) => F.Linear(h, h2g.W, x2g.Call(x));
}
