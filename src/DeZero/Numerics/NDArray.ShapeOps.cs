using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;

namespace DeZero;

public sealed partial class NDArray
{
    /// <summary>The same elements in a new shape (one dimension may be −1); shares the buffer like NumPy's view.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public NDArray Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] s = [.. shape];
        int unknown = -1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (unknown >= 0) throw new ArgumentException($"NDArray.Reshape: can only specify one unknown dimension, got shape {ShapeUtil.Str(shape)} (array of shape {ShapeUtil.Str(Dims)}).");
                unknown = i;
                s[i] = 1;
            }
            else if (s[i] < 0) throw new ArgumentException($"NDArray.Reshape: negative dimension in shape {ShapeUtil.Str(shape)} (array of shape {ShapeUtil.Str(Dims)}).");
        }
        long known = ShapeUtil.Product(s);
        if (unknown >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw new ArgumentException($"NDArray.Reshape: cannot reshape array of size {Size} (shape {ShapeUtil.Str(Dims)}) into shape {ShapeUtil.Str(shape)}.");
            s[unknown] = (int)(Size / known);
        }
        else if (known != Size)
            throw new ArgumentException($"NDArray.Reshape: cannot reshape array of size {Size} (shape {ShapeUtil.Str(Dims)}) into shape {ShapeUtil.Str(shape)}.");
        return View(s);
    }

    /// <summary>Permutes the axes (reverses them when none are given), NumPy's <c>transpose</c>. Returns a copy.</summary>
    public NDArray Transpose(params int[] axes)
    {
        int nd = Ndim;
        int[] perm;
        if (axes is null || axes.Length == 0)
        {
            perm = new int[nd];
            for (int i = 0; i < nd; i++) perm[i] = nd - 1 - i;
        }
        else
        {
            if (axes.Length != nd) throw new ArgumentException($"NDArray.Transpose: axes ({string.Join(", ", axes)}) don't match an array of shape {ShapeUtil.Str(Dims)}.");
            perm = new int[nd];
            var seen = new bool[nd];
            for (int i = 0; i < nd; i++)
            {
                perm[i] = ShapeUtil.Axis(axes[i], Dims, "NDArray.Transpose");
                if (seen[perm[i]]) throw new ArgumentException($"NDArray.Transpose: repeated axis in ({string.Join(", ", axes)}) for an array of shape {ShapeUtil.Str(Dims)}.");
                seen[perm[i]] = true;
            }
        }
        var outShape = new int[nd];
        var src = ShapeUtil.Strides(Dims);
        var st = new int[nd];
        for (int i = 0; i < nd; i++) { outShape[i] = Dims[perm[i]]; st[i] = src[perm[i]]; }
        var r = Uninitialized(DType, outShape);
        Gather(r, st);
        return r;
    }

    // Copies this array's elements into r, reading with the given strides (one per axis of r).
    void Gather(NDArray r, int[] strides)
    {
        DTypeSwitch.Element(DType, new StridedGather(this, r, strides));
    }

    readonly struct StridedGather(NDArray x, NDArray r, int[] strides) : IElementOp
    {
        public void Invoke<T>() where T : unmanaged => Gather(x.Span<T>(), r.Span<T>(), r.Dims, strides);
    }

    internal static void Gather<T>(ReadOnlySpan<T> src, Span<T> dst, int[] shape, int[] strides, int offset = 0)
    {
        if (dst.Length == 0) return;
        int nd = shape.Length;
        if (nd == 0) { dst[0] = src[offset]; return; }
        int n = shape[nd - 1], s = strides[nd - 1];
        Span<int> idx = stackalloc int[nd];
        int o = offset;
        for (int d = 0; d < dst.Length; d += n)
        {
            if (s == 1) src.Slice(o, n).CopyTo(dst.Slice(d, n));
            else for (int j = 0; j < n; j++) dst[d + j] = src[o + j * s];
            for (int k = nd - 2; k >= 0; k--)
            {
                o += strides[k];
                if (++idx[k] < shape[k]) break;
                o -= strides[k] * shape[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>Exchanges two axes, NumPy's <c>swapaxes</c>. Returns a copy.</summary>
    public NDArray SwapAxes(int axis1, int axis2)
    {
        var perm = new int[Ndim];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        int a = ShapeUtil.Axis(axis1, Dims, "NDArray.SwapAxes"), b = ShapeUtil.Axis(axis2, Dims, "NDArray.SwapAxes");
        (perm[a], perm[b]) = (b, a);
        return Transpose(perm);
    }

    /// <summary>The transpose (axes reversed).</summary>
    public NDArray T => Transpose();

    /// <summary>Inserts an axis of length 1 at <paramref name="axis"/>, NumPy's <c>np.expand_dims</c>.</summary>
    public NDArray ExpandDims(int axis)
    {
        int a = axis < 0 ? axis + Ndim + 1 : axis;
        if (a < 0 || a > Ndim)
            throw new ArgumentException($"NDArray.ExpandDims: axis {axis} is out of bounds for the result of an array of shape {ShapeUtil.Str(Dims)}.");
        var s = new List<int>(Dims);
        s.Insert(a, 1);
        return View(s.ToArray());
    }

    /// <summary>Removes axes of length 1 (all of them, or the given one), NumPy's <c>squeeze</c>.</summary>
    public NDArray Squeeze(int? axis = null)
    {
        if (axis is int ax)
        {
            int a = ShapeUtil.Axis(ax, Dims, "NDArray.Squeeze");
            if (Dims[a] != 1) throw new ArgumentException($"NDArray.Squeeze: cannot select an axis to squeeze out which has size not equal to one (axis {ax} of shape {ShapeUtil.Str(Dims)}).");
            return View(Dims.Where((_, i) => i != a).ToArray());
        }
        return View(Dims.Where(d => d != 1).ToArray());
    }

    /// <summary>A 1-D copy of the elements, NumPy's <c>flatten</c>.</summary>
    public NDArray Flatten() => new(Copy().Buffer, [Size], DType);

    /// <summary>
    /// Repeats the array along broadcast axes to <paramref name="shape"/>, NumPy's <c>np.broadcast_to</c>: a copy,
    /// or this array itself when it already has that shape.
    /// </summary>
    public NDArray BroadcastTo(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeUtil.SizeOf(shape, "NDArray.BroadcastTo");
        bool ok = shape.Length >= Ndim;
        for (int i = 0; ok && i < Ndim; i++)
        {
            int d = Dims[Ndim - 1 - i];
            ok = d == 1 || d == shape[shape.Length - 1 - i];
        }
        if (!ok)
            throw new ArgumentException($"NDArray.BroadcastTo: cannot broadcast an array of shape {ShapeUtil.Str(Dims)} to shape {ShapeUtil.Str(shape)}.");
        if (ShapeUtil.SameShape(Dims, shape)) return this;
        var r = Uninitialized(DType, [.. shape]);
        Gather(r, ShapeUtil.BroadcastStrides(Dims, shape));
        return r;
    }

    /// <summary>Sums over broadcast axes so the result has <paramref name="shape"/>; the inverse of broadcasting (DeZero's <c>sum_to</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public NDArray SumTo(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (ShapeUtil.SameShape(Dims, shape)) return this;
        int lead = Ndim - shape.Length;
        if (lead < 0) throw new ArgumentException($"NDArray.SumTo: cannot sum an array of shape {ShapeUtil.Str(Dims)} to the larger shape {ShapeUtil.Str(shape)}.");
        if (lead > 0 && DType.IsFloat() && Dims.AsSpan(lead).SequenceEqual(shape))
        {
            // Only leading axes summed away (a broadcast bias's gradient): the column sums of a matrix, as Sum does them,
            // without its axis bookkeeping.
            var r = Uninitialized(DType, [.. shape]);
            DTypeSwitch.Number(DType, new Reduction(this, r, (int)ShapeUtil.Product(Dims.AsSpan(0, lead)), rows: true, RedOp.Sum));
            return r;
        }
        var axes = new List<int>();
        for (int i = 0; i < lead; i++) axes.Add(i);
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1 && Dims[lead + i] != 1) axes.Add(lead + i);
            else if (shape[i] != Dims[lead + i])
                throw new ArgumentException($"NDArray.SumTo: cannot sum an array of shape {ShapeUtil.Str(Dims)} to shape {ShapeUtil.Str(shape)}.");
        }
        var y = Sum(axes.ToArray(), keepdims: true);
        return lead > 0 ? y.Reshape(shape) : y;
    }

    /// <summary>Joins arrays along an existing axis, NumPy's <c>np.concatenate</c>.</summary>
    public static NDArray Concatenate(NDArray[] arrays, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Length == 0) throw new ArgumentException("NDArray.Concatenate: need at least one array to concatenate.");
        var first = arrays[0];
        foreach (var a in arrays) ArgumentNullException.ThrowIfNull(a, nameof(arrays));
        if (first.Ndim == 0) throw new ArgumentException("NDArray.Concatenate: zero-dimensional arrays (shape ()) cannot be concatenated.");
        int ax = ShapeUtil.Axis(axis, first.Dims, "NDArray.Concatenate");
        var dt = first.DType;
        long total = 0;
        foreach (var a in arrays)
        {
            if (a.Ndim != first.Ndim)
                throw new ArgumentException($"NDArray.Concatenate: all arrays must have the same number of dimensions, got shapes {ShapeUtil.Str(first.Dims)} and {ShapeUtil.Str(a.Dims)}.");
            for (int i = 0; i < a.Ndim; i++)
                if (i != ax && a.Dims[i] != first.Dims[i])
                    throw new ArgumentException($"NDArray.Concatenate: shapes {ShapeUtil.Str(first.Dims)} and {ShapeUtil.Str(a.Dims)} differ outside axis {ax}.");
            dt = DTypes.Promote(dt, a.DType);
            total += a.Dims[ax];
        }
        var shape = first.Shape.ToArray();
        if (total > int.MaxValue) throw new ArgumentException($"NDArray.Concatenate: the result along axis {ax} is too large.");
        shape[ax] = (int)total;
        ShapeUtil.SizeOf(shape, "NDArray.Concatenate");
        var r = Uninitialized(dt, shape);
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < shape.Length; i++) inner *= shape[i];
        int item = dt.ItemSize(), rowOut = shape[ax] * inner, pos = 0;
        foreach (var a in arrays)
        {
            var c = a.As(dt);
            int row = a.Dims[ax] * inner;
            for (int o = 0; o < outer; o++)
                System.Buffer.BlockCopy(c.Buffer, o * row * item, r.Buffer, (o * rowOut + pos) * item, row * item);
            pos += row;
        }
        return r;
    }

    /// <summary>Joins arrays of one shape along a new axis, NumPy's <c>np.stack</c>.</summary>
    public static NDArray Stack(NDArray[] arrays, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Length == 0) throw new ArgumentException("NDArray.Stack: need at least one array to stack.");
        foreach (var a in arrays)
        {
            ArgumentNullException.ThrowIfNull(a, nameof(arrays));
            if (!ShapeUtil.SameShape(a.Dims, arrays[0].Dims))
                throw new ArgumentException($"NDArray.Stack: all input arrays must have the same shape, got {ShapeUtil.Str(arrays[0].Dims)} and {ShapeUtil.Str(a.Dims)}.");
        }
        int nd = arrays[0].Ndim, ax = axis < 0 ? axis + nd + 1 : axis;
        if (ax < 0 || ax > nd)
            throw new ArgumentException($"NDArray.Stack: axis {axis} is out of bounds for stacking arrays of shape {ShapeUtil.Str(arrays[0].Dims)}.");
        return Concatenate(arrays.Select(a => a.ExpandDims(ax)).ToArray(), ax);
    }
}
