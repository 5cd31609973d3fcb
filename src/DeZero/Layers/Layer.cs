using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DeZero.Layers;

/// <summary>
/// Base of every layer and model (the book's <c>Layer</c>): a callable that owns parameters and sub-layers.
/// Parameters and sub-layers are the values of the layer's fields and auto-properties that hold a
/// <see cref="Parameter"/> or a <see cref="Layer"/> (any access level, base classes first, then in
/// declaration order), keyed by member name like the book's <c>l1/W</c>. Collections are not searched:
/// register a variable number of sub-layers with <see cref="AddLayer{T}"/>.
/// </summary>
/// <remarks>
/// A single-input layer overrides <see cref="Forward(Variable)"/>; a layer with several inputs or outputs
/// overrides <see cref="Forward(Variable[])"/>. State such as an RNN's hidden <see cref="Variable"/> can live
/// in plain fields: only <see cref="Parameter"/> and <see cref="Layer"/> values are collected.
/// </remarks>
public abstract class Layer
{
    List<(string Name, Layer Layer)>? _added;
    LayerInfo? _info;

    /// <summary>Applies the layer to one input (the book's <c>layer(x)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Variable Call(Variable x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Forward(x);
    }

    /// <summary>
    /// Applies the layer to data: the array is wrapped as a constant, so backward computes no gradient for it
    /// (nobody could read one). Wrap it in a <see cref="Variable"/> yourself to get its gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Variable Call(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Forward(Variable.Constant(x));
    }

    /// <summary>Applies the layer to several inputs and returns all its outputs.</summary>
    public Variable[] Call(params Variable[] xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        return Forward(xs);
    }

    /// <summary>Computes the output of a single-input, single-output layer; override this in such layers.</summary>
    public virtual Variable Forward(Variable x)
    {
        if (!Info.OverridesMany) throw NotImplemented();
        var ys = Forward(new[] { x });
        return ys.Length == 1 ? ys[0]
            : throw new InvalidOperationException($"{GetType().Name} returned {ys.Length} outputs; use Call(params Variable[]) to get them all.");
    }

    /// <summary>Computes the outputs from several inputs; override this in layers with several inputs or outputs.</summary>
    public virtual Variable[] Forward(params Variable[] xs)
    {
        if (!Info.OverridesOne) throw NotImplemented();
        if (xs.Length != 1) throw new ArgumentException($"{GetType().Name} takes one input, got {xs.Length}.", nameof(xs));
        return [Forward(xs[0])];
    }

    InvalidOperationException NotImplemented() =>
        new($"{GetType().Name} must override Forward(Variable) or Forward(params Variable[]).");

    /// <summary>All parameters, depth-first in declaration order; a parameter reachable twice is listed once.</summary>
    public IEnumerable<Parameter> Params()
    {
        var all = new List<(string, Parameter)>();
        Collect(null, all, []);
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (_, p) in all)
            if (seen.Add(p)) yield return p;
    }

    /// <summary>Every parameter with its flattened key (<c>l1/W</c>), depth-first in declaration order, as weights are saved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IEnumerable<(string Key, Parameter Param)> NamedParams()
    {
        var all = new List<(string, Parameter)>();
        Collect("", all, []);
        return all;
    }

    /// <summary>Clears the gradient of every parameter (the book's <c>cleargrads</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ClearGrads()
    {
        foreach (var p in Params()) p.ClearGrad();
    }

    /// <summary>
    /// Saves every parameter that has data to an .npz file keyed like the book (<c>l1/W</c>), compressed like
    /// the book's <c>np.savez_compressed</c>; the file is replaced atomically, so a failed save leaves no partial file.
    /// </summary>
    public void SaveWeights(string path)
    {
        var arrays = new Dictionary<string, NDArray>();
        foreach (var (key, p) in NamedParams())
            if (p.HasData) arrays.TryAdd(key, p.Data);
        IO.Npz.Save(path, arrays, compressed: true);
    }

    /// <summary>
    /// Loads weights saved by <see cref="SaveWeights"/> or by the Python DeZero's <c>save_weights</c>. Every key
    /// must match: missing, extra or mis-shaped keys are all named in one <see cref="InvalidDataException"/>, and
    /// then no parameter is changed. A parameter keeps its dtype: the file's array is converted to it, as PyTorch's
    /// <c>load_state_dict</c> copies into existing tensors (an int64 or float64 array loads into a float32 parameter
    /// as float32). Lazily created parameters take the file's shape and dtype, which must then be float32 or float64.
    /// </summary>
    public void LoadWeights(string path) => LoadWeights(path, IO.Npz.Load(path));

    /// <summary>
    /// Loads the weights of the file's keys that <paramref name="include"/> accepts, as <see cref="LoadWeights(string)"/>
    /// loads all; the file's other keys are not read (VGG16 without its classifier skips fc6–fc8).
    /// </summary>
    internal void LoadWeights(string path, Func<string, bool> include) => LoadWeights(path, IO.Npz.Load(path, include));

    void LoadWeights(string path, OrderedDictionary<string, NDArray> arrays)
    {
        var named = NamedParams().ToList();
        var problems = new List<string>();
        foreach (var (key, p) in named)
        {
            if (!arrays.TryGetValue(key, out var a)) problems.Add($"missing '{key}'");
            else if (p.HasData && !p.Data.Shape.SequenceEqual(a.Shape))
                problems.Add($"'{key}' has shape {ShapeUtil.Str(a.Shape)} in the file but {ShapeUtil.Str(p.Data.Shape)} in the model");
            else if (!p.HasData && !a.DType.IsFloat())
                problems.Add($"'{key}' is {a.DType.Name()} in the file, but a parameter not yet created takes the file's dtype, which must be float32 or float64");
        }
        var keys = named.Select(e => e.Key).ToHashSet();
        foreach (var key in arrays.Keys)
            if (!keys.Contains(key)) problems.Add($"extra '{key}'");
        if (problems.Count > 0)
            throw new InvalidDataException($"{GetType().Name}.LoadWeights: '{path}' does not match the model: {string.Join("; ", problems)}.");
        foreach (var (key, p) in named) p.Data = p.HasData ? arrays[key].As(p.Data.DType) : arrays[key];
    }

    /// <summary>
    /// Registers a sub-layer under <paramref name="name"/>, after the member-declared ones (the book's
    /// <c>setattr(self, 'l0', layer)</c>); returns the layer.
    /// </summary>
    protected T AddLayer<T>(string name, T layer) where T : Layer
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(layer);
        if (name.Contains('/'))
            throw new ArgumentException($"{GetType().Name}.AddLayer: name '{name}' must not contain '/'.", nameof(name));
        if (Array.IndexOf(Info.Keys, name) >= 0 || (_added?.Exists(e => e.Name == name) ?? false))
            throw new ArgumentException($"{GetType().Name}.AddLayer: '{name}' is already taken.", nameof(name));
        (_added ??= []).Add((name, layer));
        return layer;
    }

    // A null prefix means keys are not needed (Params), so none are built (the entries' keys are empty).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Collect(string? prefix, List<(string, Parameter)> acc, HashSet<Layer> path)
    {
        if (!path.Add(this))
            throw new InvalidOperationException($"{GetType().Name} at '{prefix}' contains itself; a layer must not be its own sub-layer.");
        var info = Info;
        for (int i = 0; i < info.Fields.Length; i++)
            Visit(info.Keys[i], info.Fields[i].GetValue(this));
        if (_added is not null)
            foreach (var (name, layer) in _added) Visit(name, layer);
        path.Remove(this);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Visit(string name, object? value)
        {
            string? key = prefix is null ? null : prefix.Length == 0 ? name : prefix + "/" + name;
            if (value is Parameter p) acc.Add((key ?? "", p));
            else if (value is Layer l) l.Collect(key, acc, path);
        }
    }

    // Kept per instance: parameters are collected at every update, and a lookup per layer in the shared cache costs more than the walk.
    LayerInfo Info => _info ??= LayerInfo.Of(GetType());

    /// <summary>What reflection finds about a layer type, computed once per type.</summary>
    sealed class LayerInfo
    {
        static readonly ConcurrentDictionary<Type, LayerInfo> Cache = new();

        public readonly FieldInfo[] Fields;
        public readonly string[] Keys;
        public readonly bool OverridesOne, OverridesMany;

        public static LayerInfo Of(Type t) => Cache.GetOrAdd(t, static t => new LayerInfo(t));

        LayerInfo(Type type)
        {
            var chain = new Stack<Type>();
            for (var t = type; t != typeof(Layer); t = t.BaseType!) chain.Push(t);
            var fields = new List<FieldInfo>();
            var keys = new List<string>();
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var t in chain)
            {
                foreach (var f in t.GetFields(flags))
                {
                    if (!MayHold(f.FieldType)) continue;
                    string key = MemberName(f.Name);
                    if (keys.Contains(key))
                        throw new InvalidOperationException($"{type.Name}: two members are named '{key}' (one in {t.Name}); parameter keys must be unique.");
                    fields.Add(f);
                    keys.Add(key);
                }
            }
            Fields = [.. fields];
            Keys = [.. keys];
            OverridesOne = Overrides(type, typeof(Variable));
            OverridesMany = Overrides(type, typeof(Variable[]));
        }

        // Declared type that could hold a Parameter or a Layer at run time (object, Variable, interfaces, …).
        static bool MayHold(Type t) => !t.IsValueType &&
            (t.IsInterface || t.IsAssignableFrom(typeof(Parameter)) || t.IsAssignableFrom(typeof(Layer))
             || typeof(Parameter).IsAssignableFrom(t) || typeof(Layer).IsAssignableFrom(t));

        // "<W>k__BackingField" (auto-property) and "<l1>P" (captured primary-constructor parameter) → "W", "l1".
        static string MemberName(string field) =>
            field.StartsWith('<') && field.IndexOf('>') is int end and > 1 ? field[1..end] : field;

        static bool Overrides(Type type, Type parameter) =>
            type.GetMethod(nameof(Forward), BindingFlags.Instance | BindingFlags.Public, [parameter])!.DeclaringType != typeof(Layer);
    }
}
