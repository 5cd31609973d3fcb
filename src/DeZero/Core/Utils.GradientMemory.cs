using System.Reflection;

namespace DeZero;

public static partial class Utils
{
    /// <summary>
    /// Tests the <see cref="KeepsNoGradientsAttribute"/> declarations of the functions <paramref name="f"/> applies:
    /// backpropagates Σf(inputs)² once with recycling off and once in a checking mode where every gradient buffer the
    /// pass lets go of is filled with NaN instead of being reused. Throws <see cref="InvalidOperationException"/> naming
    /// the function and field when a declared function still holds such a buffer, or when the gradients differ.
    /// </summary>
    public static void CheckKeepsNoGradients(Func<Variable[], Variable> f, params NDArray[] inputs)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        NDArray?[] expected;
        using (Config.NoGradientRecycling())
        {
            var vars = Wrap(inputs);
            var y = f(vars);
            (y * y).Backward();
            expected = vars.Select(v => v.Grad?.Data).ToArray();
        }
        var xs = Wrap(inputs);
        var output = f(xs);
        var functions = GraphFunctions(output);
        HashSet<Array> released;
        using (Config.Using(enableBackprop: true, Config.Train))
            released = new(GradientMemory.Check(() => (output * output).Backward()), ReferenceEqualityComparer.Instance);
        foreach (var fn in functions.Where(fn => fn.GetType().IsDefined(typeof(KeepsNoGradientsAttribute), inherit: false)))
            if (HeldBuffer(fn, released) is { } path)
                throw new InvalidOperationException(
                    $"{fn.GetType().Name} is marked [KeepsNoGradients], but after backward its {path} holds a gradient buffer the pass let go of (and would have reused). Remove the mark, or stop keeping the array.");
        for (int i = 0; i < xs.Length; i++)
        {
            var actual = xs[i].Grad?.Data;
            if (expected[i] is null && actual is null) continue;
            if (expected[i] is { } e && actual is { } a && ShapeUtil.SameShape(e.Dims, a.Dims) && e.ToArray<double>().SequenceEqual(a.ToArray<double>())) continue;
            throw new InvalidOperationException(
                $"The gradient of input {i} differs when gradient buffers are recycled: a function reads a gradient after the pass let go of it (a [KeepsNoGradients] mark that does not hold).");
        }
    }

    static List<Function> GraphFunctions(Variable y)
    {
        var functions = new List<Function>();
        var seen = new HashSet<Function>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Function>();
        if (y.Creator is { } c) stack.Push(c);
        while (stack.TryPop(out var fn))
        {
            if (!seen.Add(fn)) continue;
            functions.Add(fn);
            foreach (var x in fn.Inputs)
                if (x.Creator is { } creator) stack.Push(creator);
        }
        return functions;
    }

    // The path of the first field (of the function, its type's static fields, or objects they reach) that holds an
    // array on one of the released buffers. A variable is looked into for its data and gradient only, not its graph.
    static string? HeldBuffer(Function fn, HashSet<Array> released)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(object Value, string Path)>();
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var field in fn.GetType().GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            if (field.GetValue(null) is { } value) stack.Push((value, $"static field {field.Name}"));
        stack.Push((fn, "instance"));
        while (stack.TryPop(out var item))
        {
            var (value, path) = item;
            if (value is string or Type or Delegate || value.GetType().IsPrimitive || !seen.Add(value)) continue;
            switch (value)
            {
                case NDArray a:
                    if (released.Contains(a.Buffer)) return path;
                    break;
                case Variable v:
                    if (v.HasData) stack.Push((v.Data, $"{path}.Data"));
                    if (v.Grad is { } g) stack.Push((g, $"{path}.Grad"));
                    break;
                case Array array:
                    if (array.GetType().GetElementType() is { IsPrimitive: true } or { IsEnum: true }) break;
                    for (int i = 0; i < array.Length; i++)
                        if (array.GetValue(i) is { } element) stack.Push((element, $"{path}[{i}]"));
                    break;
                default:
                    for (var t = value.GetType(); t is not null; t = t.BaseType)
                        foreach (var field in t.GetFields(Instance | BindingFlags.DeclaredOnly))
                            if (!field.FieldType.IsPrimitive && field.GetValue(value) is { } child)
                                stack.Push((child, value == fn ? $"field {field.Name}" : $"{path}.{field.Name}"));
                    break;
            }
        }
        return null;
    }
}
