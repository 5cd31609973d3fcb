using DeZero.Ops;

namespace DeZero.Onnx;

// NumPy indexing (the book's get_item): basic indices become Slice, Squeeze and Unsqueeze; integer arrays and masks
// (advanced indices) become one GatherND over the indexed axes moved to the front, then placed where NumPy puts them.
internal sealed partial class GraphWriter
{
    Value GetItemOp(GetItem g)
    {
        var x = g.Inputs[0];
        var index = Normalize(g.Index, x.Shape);
        bool advanced = index.Any(e => e.Kind == NDIndex.Kinds.Array);
        if (advanced && index.Any(e => e.Kind == NDIndex.Kinds.NewAxis))
            throw new NotSupportedException($"OnnxExporter.Export: an index with both integer arrays and NewAxis has no ONNX mapping; met at {Where(g)}.");
        int b = BatchOf(g, 0), batch = -1;

        // Slices (and, without arrays, integers as slices of one element that are then squeezed away).
        List<long> starts = [], ends = [], axes = [], steps = [], squeeze = [], unsqueeze = [];
        int axis = 0, position = 0;
        foreach (var e in index)
        {
            if (e.Kind == NDIndex.Kinds.NewAxis)
            {
                unsqueeze.Add(position++);
                continue;
            }
            if (axis == b && e.Kind == NDIndex.Kinds.Slice) batch = position;
            if (e.Kind == NDIndex.Kinds.Slice)
            {
                var s = e.Slice;
                if (s != Slice.All)
                {
                    starts.Add(s.Start ?? (s.Step > 0 ? 0 : long.MaxValue));
                    ends.Add(s.Stop ?? (s.Step > 0 ? long.MaxValue : long.MinValue));
                    axes.Add(axis);
                    steps.Add(s.Step);
                }
                position++;
            }
            else if (e.Kind == NDIndex.Kinds.Int && !advanced)
            {
                starts.Add(e.Int);
                ends.Add(e.Int == -1 ? long.MaxValue : e.Int + 1);
                axes.Add(axis);
                steps.Add(1);
                squeeze.Add(axis);
            }
            axis++;
        }
        var name = In(g, 0);
        if (axes.Count > 0) name = Node("Slice", [name, Ints([.. starts]), Ints([.. ends]), Ints([.. axes]), Ints([.. steps])]);
        if (!advanced)
        {
            if (squeeze.Count > 0) name = Node("Squeeze", [name, Ints([.. squeeze])]);
            if (unsqueeze.Count > 0) name = Node("Unsqueeze", [name, Ints([.. unsqueeze])]);
            return new(name, batch);
        }

        // Advanced: integers count as 0-d index arrays; all broadcast to one shape S. Without NewAxis, entry i is axis i.
        var adv = new List<(int Axis, NDArray Index)>();
        for (int i = 0; i < index.Count; i++)
            if (index[i].Kind == NDIndex.Kinds.Int) adv.Add((i, NDArray.Scalar(index[i].Int, DType.Int64)));
            else if (index[i].Kind == NDIndex.Kinds.Array) adv.Add((i, index[i].Array!.AsType(DType.Int64)));
        var rest = Enumerable.Range(0, x.Ndim).Except(adv.Select(a => a.Axis)).ToArray();
        var front = adv.Select(a => a.Axis).Concat(rest).ToArray();
        if (!front.SequenceEqual(Enumerable.Range(0, x.Ndim)))
            name = Node("Transpose", [name], Attr("perm", front.Select(a => (long)a)));
        var shape = adv.Select(a => a.Index.Shape.ToArray()).Aggregate(BroadcastShape);
        var indices = NDArray.Stack([.. adv.Select(a => a.Index.BroadcastTo(shape))], shape.Length);
        name = Node("GatherND", [name, Constant(indices, "indices")]);

        // NumPy puts the indexed dimensions where the advanced indices stand when they are adjacent, else in front.
        int k = shape.Length, p = adv[0].Axis;
        bool adjacent = adv[^1].Axis - p == adv.Count - 1;
        if (adjacent && p > 0)
        {
            var perm = Enumerable.Range(k, p).Concat(Enumerable.Range(0, k)).Concat(Enumerable.Range(k + p, rest.Length - p));
            name = Node("Transpose", [name], Attr("perm", perm.Select(a => (long)a)));
        }
        int r = Array.IndexOf(rest, b);
        return new(name, r < 0 ? -1 : adjacent && r < p ? r : k + r);
    }

    // The index with the ellipsis expanded, full slices appended for the remaining axes and boolean masks replaced by
    // the integer arrays of their true positions (NumPy's nonzero), one per masked axis.
    static List<NDIndex> Normalize(NDIndex[] index, int[] shape)
    {
        int used = index.Sum(e => e.Kind switch
        {
            NDIndex.Kinds.Int or NDIndex.Kinds.Slice => 1,
            NDIndex.Kinds.Array => e.Array!.DType == DType.Bool ? e.Array.Ndim : 1,
            _ => 0,
        });
        var full = Enumerable.Repeat((NDIndex)Slice.All, shape.Length - used).ToList();
        var result = new List<NDIndex>();
        bool expanded = false;
        foreach (var e in index)
        {
            if (e.Kind == NDIndex.Kinds.Ellipsis)
            {
                if (!expanded) result.AddRange(full);
                expanded = true;
            }
            else if (e.Kind == NDIndex.Kinds.Array && e.Array!.DType == DType.Bool) result.AddRange(NonZero(e.Array));
            else result.Add(e);
        }
        if (!expanded) result.AddRange(full);
        return result;
    }

    static IEnumerable<NDIndex> NonZero(NDArray mask)
    {
        var flags = mask.ToArray<bool>();
        var shape = mask.Shape;
        var hits = Enumerable.Range(0, flags.Length).Where(i => flags[i]).ToArray();
        for (int axis = 0; axis < shape.Length; axis++)
        {
            long inner = shape.Skip(axis + 1).Aggregate(1L, (p, d) => p * d);
            yield return NDArray.FromArray(hits.Select(i => i / inner % shape[axis]).ToArray());
        }
    }

    static int[] BroadcastShape(int[] a, int[] c)
    {
        int n = Math.Max(a.Length, c.Length);
        var s = new int[n];
        for (int i = 1; i <= n; i++)
        {
            int da = i <= a.Length ? a[^i] : 1, dc = i <= c.Length ? c[^i] : 1;
            s[^i] = da == 1 ? dc : da;
        }
        return s;
    }
}
