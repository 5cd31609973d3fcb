using F = DeZero.Functions;

namespace DeZero.Layers;

/// <summary>
/// Embedding layer (the book's <c>L.EmbedID</c>): maps integer ids of any shape to rows of W, shape
/// (inSize, outSize), drawn as <c>randn(inSize, outSize)</c> in float64 like the book.
/// </summary>
public class EmbedID : Layer
{
    /// <summary>A vocabulary of <paramref name="inSize"/> ids embedded in <paramref name="outSize"/> features; W is drawn from <paramref name="rng"/> (default <see cref="RandomState.Global"/>).</summary>
    public EmbedID(int inSize, int outSize, RandomState? rng = null)
    {
        if (inSize <= 0) throw new ArgumentOutOfRangeException(nameof(inSize), inSize, "L.EmbedID: inSize must be positive.");
        if (outSize <= 0) throw new ArgumentOutOfRangeException(nameof(outSize), outSize, "L.EmbedID: outSize must be positive.");
        W = new Parameter((rng ?? RandomState.Global).Randn(inSize, outSize), "W");
    }

    /// <summary>The embedding matrix, shape (inSize, outSize).</summary>
    public Parameter W { get; }

    /// <summary>Takes the rows of W for the integer ids in <paramref name="x"/>: the output shape is x's shape + (outSize,).</summary>
    public override Variable Forward(Variable x) => F.EmbedID(x, W);
}
