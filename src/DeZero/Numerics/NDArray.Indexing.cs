using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;

namespace DeZero;

public sealed partial class NDArray
{
    /// <summary>
    /// NumPy's <c>a[index]</c>: integers (negative count from the end), slices (<see cref="Slice"/> or C#
    /// ranges), <see cref="NDIndex.NewAxis"/>, <see cref="NDIndex.Ellipsis"/>, integer arrays and boolean
    /// masks, in any mix — e.g. <c>a[i]</c>, <c>a[idx]</c>, <c>a[rows, cols]</c>, <c>a[1.., ..2]</c>.
    /// Reading returns a new array; assigning writes the value, broadcast and converted to this dtype.
    /// </summary>
    /// <remarks>
    /// A collection expression is the index tuple itself: <c>a[[0, 2]]</c> is <c>a[0, 2]</c>; to take rows
    /// 0 and 2 write <c>a[NDArray.FromArray(new[] { 0, 2 })]</c>.
    /// </remarks>
    public NDArray this[params ReadOnlySpan<NDIndex> index]
    {
        get
        {
            var plan = new IndexPlan(this, index, "NDArray indexing");
            var r = Empty(DType, plan.Shape);
            DTypeSwitch.Element(DType, new IndexGather(plan, this, r));
            return r;
        }
        set
        {
            const string op = "NDArray index assignment";
            ArgumentNullException.ThrowIfNull(value);
            var plan = new IndexPlan(this, index, op);
            // Like NumPy, the value may carry extra leading axes of length 1.
            var v = value;
            while (v.Ndim > plan.Shape.Length && v.Dims[0] == 1) v = v.View(v.Dims[1..]);
            v = ValuesFor(this, v.As(DType), plan.Shape, op, value.Dims, assignment: true);
            DTypeSwitch.Element(DType, new IndexScatter(plan, this, v));
        }
    }

    readonly struct IndexGather(IndexPlan plan, NDArray src, NDArray dst) : IElementOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged => plan.Gather(src.Span<T>(), dst.Span<T>());
    }

    readonly struct IndexScatter(IndexPlan plan, NDArray dst, NDArray values) : IElementOp
    {
        public void Invoke<T>() where T : unmanaged => plan.Scatter(dst.Span<T>(), values.Span<T>());
    }

    readonly struct IndexAdd(IndexPlan plan, NDArray dst, NDArray values) : INumberOp
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> => plan.Add(dst.Span<T>(), values.Span<T>());
    }

    /// <summary>Sets the elements selected by <paramref name="index"/> to <paramref name="value"/>, NumPy's <c>a[index] = value</c> with a scalar.</summary>
    public void Fill(double value, params ReadOnlySpan<NDIndex> index) => this[index] = Scalar(value, DType);

    /// <summary>
    /// NumPy's <c>np.add.at(target, indices, values)</c> along axis 0: adds each row of
    /// <paramref name="values"/> to the row of <paramref name="target"/> it indexes; repeated indices accumulate.
    /// </summary>
    public static void AddAt(NDArray target, NDArray indices, NDArray values) => AddAt(target, [indices], values);

    /// <summary>
    /// NumPy's <c>np.add.at(target, index, values)</c> for any index the indexer takes (e.g. <c>[rows, cols]</c>):
    /// unbuffered in-place addition, so repeated positions accumulate. Values broadcast to the indexed shape.
    /// </summary>
    public static void AddAt(NDArray target, ReadOnlySpan<NDIndex> index, NDArray values) => AddAt(target, index, values, "NDArray.AddAt");

    /// <summary>
    /// The gradient of <c>x[index]</c> with respect to <c>x</c> for an upstream gradient <paramref name="gy"/>:
    /// zeros of shape <paramref name="shape"/> (the dtype of <paramref name="gy"/>) with <paramref name="gy"/>
    /// added at the indexed positions — the book's <c>GetItemGrad</c>, the backward of GetItem for every index form.
    /// </summary>
    public static NDArray GetItemGrad(NDArray gy, int[] shape, params ReadOnlySpan<NDIndex> index)
    {
        ArgumentNullException.ThrowIfNull(gy);
        ArgumentNullException.ThrowIfNull(shape);
        var gx = Zeros(shape, gy.DType);
        AddAt(gx, index, gy, "NDArray.GetItemGrad");
        return gx;
    }

    static void AddAt(NDArray target, ReadOnlySpan<NDIndex> index, NDArray values, string op)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        var plan = new IndexPlan(target, index, op);
        var compute = DTypes.Result(target, values);
        if (compute != target.DType && !(compute.IsInteger() && target.DType.IsInteger()))
        {
            // NumPy adds in the promoted (float64 or float32) type and casts each sum back to the target's dtype.
            var w = ValuesFor(target, values, plan.Shape, op, values.Dims, assignment: false);
            plan.AddPromoted(target, w);
            return;
        }
        // Integer sums wrap the same whether the values are cast before or after adding.
        var v = ValuesFor(target, values.As(target.DType), plan.Shape, op, values.Dims, assignment: false);
        if (target.DType == DType.Bool) plan.Or(target.Span<bool>(), v.Span<bool>());
        else DTypeSwitch.Number(target.DType, new IndexAdd(plan, target, v));
    }

    // The values broadcast to the indexed shape, never sharing the target's buffer (so writes cannot change them midway).
    // valueDims (the values as given) and assignment (or AddAt) only shape the error message.
    static NDArray ValuesFor(NDArray target, NDArray v, int[] shape, string op, int[] valueDims, bool assignment)
    {
        if (v.Ndim > shape.Length) throw Mismatch();
        for (int i = 0; i < v.Ndim; i++)
        {
            int d = v.Dims[i], s = shape[shape.Length - v.Ndim + i];
            if (d != s && d != 1) throw Mismatch();
        }
        if (ReferenceEquals(v.Buffer, target.Buffer)) v = v.Copy();
        return v.BroadcastTo(shape);

        ArgumentException Mismatch() => new(assignment
            ? $"{op}: could not broadcast input array from shape {ShapeUtil.Str(valueDims)} into shape {ShapeUtil.Str(shape)}."
            : $"{op}: values of shape {ShapeUtil.Str(valueDims)} cannot be broadcast to the indexed shape {ShapeUtil.Str(shape)}.");
    }

    /// <summary>
    /// A resolved index: the result shape and, in result order, the offsets of contiguous blocks of
    /// <see cref="Block"/> source elements. Building it validates the whole index, so writes through it cannot fail midway.
    /// </summary>
    internal sealed class IndexPlan
    {
        public readonly int[] Shape;
        public readonly int[] Offsets;
        public readonly int Block;

        public IndexPlan(NDArray a, ReadOnlySpan<NDIndex> index, string op)
        {
            int nd = a.Ndim;
            int used = 0;
            bool advanced = false, ellipsis = false;
            foreach (var e in index)
            {
                switch (e.Kind)
                {
                    case NDIndex.Kinds.Int:
                    case NDIndex.Kinds.Slice:
                        used++;
                        break;
                    case NDIndex.Kinds.Ellipsis:
                        if (ellipsis) throw new ArgumentException($"{op}: an index can only have a single ellipsis ('...').");
                        ellipsis = true;
                        break;
                    case NDIndex.Kinds.Array:
                        var arr = e.Array!;
                        if (arr.DType == DType.Bool)
                        {
                            if (arr.Ndim == 0) throw new ArgumentException($"{op}: a 0-d boolean index is not supported; use a mask with at least one dimension.");
                            used += arr.Ndim;
                            advanced = true;
                        }
                        else if (arr.DType.IsInteger())
                        {
                            used++;
                            advanced |= arr.Ndim > 0;
                        }
                        else throw new ArgumentException($"{op}: arrays used as indices must be of integer or boolean type, got {arr.DType.Name()}.");
                        break;
                }
            }
            if (used > nd)
                throw new ArgumentException($"{op}: too many indices for array: array is {nd}-dimensional, but {used} were indexed.");

            var strides = ShapeUtil.Strides(a.Dims);
            var lens = new List<int>(nd + 1);
            var steps = new List<int>(nd + 1);
            var parts = new List<(int[] Shape, int[] Offsets)>();
            int start = 0, d = 0, advAt = -1, lastAdv = -1;
            bool together = true;
            for (int i = 0; i < index.Length; i++)
            {
                var e = index[i];
                bool isAdv = false;
                switch (e.Kind)
                {
                    case NDIndex.Kinds.Slice:
                        var (s0, _, step, n) = e.Slice.Indices(a.Dims[d]);
                        if (n > 0) start += s0 * strides[d];
                        lens.Add(n);
                        steps.Add(step * strides[d]);
                        d++;
                        break;
                    case NDIndex.Kinds.Int:
                        start += Normalize(e.Int, d, a.Dims[d], op) * strides[d];
                        d++;
                        isAdv = advanced;
                        break;
                    case NDIndex.Kinds.NewAxis:
                        lens.Add(1);
                        steps.Add(0);
                        break;
                    case NDIndex.Kinds.Ellipsis:
                        for (int k = 0; k < nd - used; k++, d++)
                        {
                            lens.Add(a.Dims[d]);
                            steps.Add(strides[d]);
                        }
                        break;
                    default:
                        var arr = e.Array!;
                        if (arr.DType == DType.Bool)
                        {
                            parts.Add(MaskOffsets(a, arr, d, strides[d + arr.Ndim - 1], op));
                            d += arr.Ndim;
                            isAdv = true;
                        }
                        else if (arr.Ndim == 0)
                        {
                            start += Normalize(arr.GetIntegral(0), d, a.Dims[d], op) * strides[d];
                            d++;
                            isAdv = advanced;
                        }
                        else
                        {
                            parts.Add((arr.Dims, IntOffsets(arr, d, a.Dims[d], strides[d], op)));
                            d++;
                            isAdv = true;
                        }
                        break;
                }
                if (!isAdv) continue;
                if (advAt < 0) advAt = lens.Count;
                else if (lastAdv != i - 1) together = false;
                lastAdv = i;
            }
            for (; d < nd; d++)
            {
                lens.Add(a.Dims[d]);
                steps.Add(strides[d]);
            }

            // Advanced indices broadcast together into one block of axes whose source offsets come from a table;
            // it replaces the indexed axes when they were adjacent, and goes first otherwise (NumPy's rule).
            int[]? table = null;
            int tableAt = -1;
            var shape = lens;
            if (parts.Count > 0)
            {
                var bshape = parts[0].Shape;
                foreach (var p in parts) bshape = ShapeUtil.Broadcast(bshape, p.Shape, op + " (index arrays)");
                table = new int[ShapeUtil.SizeOf(bshape, op)];
                var tmp = parts.Count > 1 ? new int[table.Length] : table;
                foreach (var p in parts)
                {
                    if (ShapeUtil.SameShape(p.Shape, bshape)) TensorPrimitives.Add(table, p.Offsets, table);
                    else
                    {
                        NDArray.Gather<int>(p.Offsets, tmp, bshape, ShapeUtil.BroadcastStrides(p.Shape, bshape));
                        TensorPrimitives.Add(table, tmp, table);
                    }
                }
                tableAt = together ? advAt : 0;
                shape = new List<int>(lens);
                shape.InsertRange(tableAt, bshape);
            }
            Shape = shape.ToArray();
            int size = ShapeUtil.SizeOf(Shape, op);
            if (size == 0)
            {
                Offsets = [];
                Block = 1;
                return;
            }

            // Loop axes: drop length-1 axes, then fold the trailing run of source-contiguous axes into one block.
            var L = new List<int>(lens.Count + 1);
            var S = new List<int>(lens.Count + 1);
            int t = -1;
            for (int k = 0; k <= lens.Count; k++)
            {
                if (k == tableAt)
                {
                    t = L.Count;
                    L.Add(table!.Length);
                    S.Add(0);
                }
                if (k < lens.Count && lens[k] != 1)
                {
                    L.Add(lens[k]);
                    S.Add(steps[k]);
                }
            }
            int m = L.Count, block = 1;
            while (m > 0 && m - 1 != t && S[m - 1] == block) block *= L[--m];
            Block = block;
            Offsets = new int[size / block];
            Span<int> idx = m <= 32 ? stackalloc int[m] : new int[m];
            int o = start + (t >= 0 ? table![0] : 0);
            for (int c = 0; c < Offsets.Length; c++)
            {
                Offsets[c] = o;
                for (int k = m - 1; k >= 0; k--)
                {
                    if (k == t)
                    {
                        o -= table![idx[k]];
                        if (++idx[k] < L[k]) { o += table[idx[k]]; break; }
                        idx[k] = 0;
                        o += table[0];
                    }
                    else
                    {
                        o += S[k];
                        if (++idx[k] < L[k]) break;
                        o -= S[k] * L[k];
                        idx[k] = 0;
                    }
                }
            }
        }

        static int Normalize(long i, int axis, int n, string op)
        {
            long j = i < 0 ? i + n : i;
            if (j < 0 || j >= n) throw new IndexOutOfRangeException($"{op}: index {i} is out of bounds for axis {axis} with size {n}.");
            return (int)j;
        }

        static int[] IntOffsets(NDArray arr, int axis, int n, int stride, string op)
        {
            var r = new int[arr.Size];
            if (arr.DType == DType.Int64)
            {
                var v = arr.Span<long>();
                for (int j = 0; j < r.Length; j++) r[j] = Normalize(v[j], axis, n, op) * stride;
            }
            else
            {
                var v = arr.Span<int>();
                for (int j = 0; j < r.Length; j++) r[j] = Normalize(v[j], axis, n, op) * stride;
            }
            return r;
        }

        // A mask over axes axis … axis+k−1 selects its true positions; in C order their offsets are flat position × the last axis's stride.
        static (int[], int[]) MaskOffsets(NDArray a, NDArray mask, int axis, int stride, string op)
        {
            for (int k = 0; k < mask.Ndim; k++)
                if (mask.Dims[k] != a.Dims[axis + k])
                    throw new ArgumentException($"{op}: boolean index did not match indexed array along dimension {axis + k}; dimension is {a.Dims[axis + k]} but corresponding boolean dimension is {mask.Dims[k]} (array shape {ShapeUtil.Str(a.Dims)}, mask shape {ShapeUtil.Str(mask.Dims)}).");
            var m = mask.Span<bool>();
            int count = 0;
            foreach (var b in m) if (b) count++;
            var r = new int[count];
            for (int j = 0, c = 0; c < count; j++)
                if (m[j]) r[c++] = j * stride;
            return ([count], r);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Gather<T>(ReadOnlySpan<T> src, Span<T> dst)
        {
            int b = Block;
            if (b == 1)
                for (int c = 0; c < Offsets.Length; c++) dst[c] = src[Offsets[c]];
            else
                for (int c = 0; c < Offsets.Length; c++) src.Slice(Offsets[c], b).CopyTo(dst.Slice(c * b, b));
        }

        // In result order, so with repeated positions the last value wins, as in NumPy.
        public void Scatter<T>(Span<T> dst, ReadOnlySpan<T> values)
        {
            int b = Block;
            if (b == 1)
                for (int c = 0; c < Offsets.Length; c++) dst[Offsets[c]] = values[c];
            else
                for (int c = 0; c < Offsets.Length; c++) values.Slice(c * b, b).CopyTo(dst.Slice(Offsets[c], b));
        }

        public void Add<T>(Span<T> dst, ReadOnlySpan<T> values) where T : INumber<T>
        {
            int b = Block;
            if (b == 1)
                for (int c = 0; c < Offsets.Length; c++) dst[Offsets[c]] += values[c];
            else
                for (int c = 0; c < Offsets.Length; c++)
                {
                    var d = dst.Slice(Offsets[c], b);
                    TensorPrimitives.Add(d, values.Slice(c * b, b), d);
                }
        }

        // Bool addition is logical or.
        public void Or(Span<bool> dst, ReadOnlySpan<bool> values)
        {
            int b = Block;
            for (int c = 0; c < Offsets.Length; c++)
                for (int j = 0; j < b; j++) dst[Offsets[c] + j] |= values[c * b + j];
        }

        public void AddPromoted(NDArray dst, NDArray values)
        {
            int b = Block;
            for (int c = 0; c < Offsets.Length; c++)
                for (int j = 0; j < b; j++)
                {
                    int o = Offsets[c] + j;
                    dst.SetFlat(o, dst.GetFlat(o) + values.GetFlat(c * b + j));
                }
        }
    }

    // Element i of an integer array as long (exact for int64, unlike GetFlat).
    long GetIntegral(int i) => DType == DType.Int64 ? Span<long>()[i] : Span<int>()[i];
}
