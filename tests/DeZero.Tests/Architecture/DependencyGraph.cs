using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace DeZero.Tests.Architecture;

/// <summary>
/// Which part of an assembly uses which: every method is placed in the part (the folder under src/&lt;assembly&gt;/)
/// of the source file its body comes from, read from the portable PDB, so partial classes split over folders and
/// lambdas count where they are written. A method uses what its signature, its locals and every token in its IL
/// name (calls, field accesses, typeof, casts, generic arguments); a type also uses its base type, interfaces and
/// field types.
/// </summary>
public sealed class DependencyGraph
{
    /// <summary>One use of code in part <see cref="To"/> (member <see cref="Target"/>) by <see cref="User"/> in part <see cref="From"/>.</summary>
    public sealed record Arrow(string From, string To, string User, string Target)
    {
        public override string ToString() => $"{From} → {To}: {User} uses {Target}";
    }

    readonly Assembly _assembly;
    readonly MetadataReader _pdb;
    readonly string _root;
    readonly Dictionary<Type, string?> _typeFolders = new();

    /// <summary>All arrows between different parts.</summary>
    public IReadOnlyList<Arrow> Arrows { get; }

    public DependencyGraph(Assembly assembly)
    {
        _assembly = assembly;
        _root = "src/" + assembly.GetName().Name + "/";
        var pdbPath = Path.ChangeExtension(assembly.Location, ".pdb");
        if (!File.Exists(pdbPath))
            throw new FileNotFoundException($"DependencyGraph: the portable PDB of {assembly.GetName().Name} is needed to place methods in folders.", pdbPath);
        _pdb = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath)).GetMetadataReader();
        var arrows = new List<Arrow>();
        foreach (var type in assembly.GetTypes())
            Collect(type, arrows);
        Arrows = arrows;
    }

    /// <summary>The part a method's body is written in (its declaring type's part when it has no body).</summary>
    public string? PartOf(MethodBase method) => Top(FolderOf(method));

    /// <summary>The one part a type is written in; null for types of other assemblies or split over several parts.</summary>
    public string? PartOf(Type type) => Top(FolderOf(type));

    /// <summary>The folder (under src/&lt;assembly&gt;/) a method's body is written in.</summary>
    public string? FolderOf(MethodBase method)
    {
        if (method.Module.Assembly != _assembly) return null;
        var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(method.MetadataToken);
        var info = _pdb.GetMethodDebugInformation(handle);
        if (!info.Document.IsNil) return PartOfDocument(info.Document);
        foreach (var point in info.GetSequencePoints())
            return PartOfDocument(point.Document);
        return FolderOf(method.DeclaringType!);
    }

    /// <summary>The one folder a type is written in; null for types of other assemblies or split over several folders.</summary>
    public string? FolderOf(Type type)
    {
        type = Definition(type);
        if (type.Assembly != _assembly) return null;
        if (_typeFolders.TryGetValue(type, out var known)) return known;
        _typeFolders[type] = null;
        var parts = new HashSet<string>();
        foreach (var m in Methods(type))
        {
            var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(m.MetadataToken);
            var info = _pdb.GetMethodDebugInformation(handle);
            if (!info.Document.IsNil) parts.Add(PartOfDocument(info.Document));
            else foreach (var point in info.GetSequencePoints()) { parts.Add(PartOfDocument(point.Document)); break; }
        }
        if (parts.Count == 0) parts.UnionWith(TypeDocuments(type));
        string? part = parts.Count == 1 ? parts.First() : null;
        if (parts.Count == 0 && type.DeclaringType is { } outer) part = FolderOf(outer);
        _typeFolders[type] = part;
        return part;
    }

    // Types without method bodies (enums, interfaces, records of fields) are placed by the compiler's
    // TypeDefinitionDocuments record in the PDB.
    static readonly Guid TypeDefinitionDocuments = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    IEnumerable<string> TypeDocuments(Type type)
    {
        var handle = (TypeDefinitionHandle)MetadataTokens.EntityHandle(type.MetadataToken);
        foreach (var cdiHandle in _pdb.GetCustomDebugInformation(handle))
        {
            var cdi = _pdb.GetCustomDebugInformation(cdiHandle);
            if (_pdb.GetGuid(cdi.Kind) != TypeDefinitionDocuments) continue;
            var blob = _pdb.GetBlobReader(cdi.Value);
            while (blob.RemainingBytes > 0)
                yield return PartOfDocument(MetadataTokens.DocumentHandle(blob.ReadCompressedInteger()));
        }
    }

    string PartOfDocument(DocumentHandle handle)
    {
        var path = _pdb.GetString(_pdb.GetDocument(handle).Name).Replace('\\', '/');
        int at = path.LastIndexOf(_root, StringComparison.Ordinal);
        if (at < 0) return "(generated)";
        var rest = path[(at + _root.Length)..];
        int slash = rest.LastIndexOf('/');
        return slash < 0 ? "(root)" : rest[..slash];
    }

    static string? Top(string? folder) => folder?.Split('/')[0];

    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All));

    static Type Definition(Type type)
    {
        while (type.HasElementType) type = type.GetElementType()!;
        return type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;
    }

    void Collect(Type type, List<Arrow> arrows)
    {
        var from = PartOf(type);
        if (from is not null)
        {
            var uses = new List<Type>();
            if (type.BaseType is { } b) uses.Add(b);
            uses.AddRange(type.GetInterfaces());
            uses.AddRange(type.GetFields(All).Select(f => f.FieldType));
            foreach (var used in uses)
                AddType(arrows, from, type.FullName!, used);
        }
        foreach (var method in Methods(type))
        {
            var part = PartOf(method);
            if (part is null) continue;
            string user = $"{type.FullName}.{method.Name}";
            if (method is MethodInfo mi) AddType(arrows, part, user, mi.ReturnType);
            foreach (var p in method.GetParameters()) AddType(arrows, part, user, p.ParameterType);
            var body = method.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) AddType(arrows, part, user, local.LocalType);
            foreach (var member in IlTokens(method, body.GetILAsByteArray()!))
                AddMember(arrows, part, user, member);
        }
    }

    void AddMember(List<Arrow> arrows, string from, string user, MemberInfo member)
    {
        switch (member)
        {
            case Type t:
                AddType(arrows, from, user, t);
                break;
            case MethodBase m:
                Add(arrows, from, user, PartOf(m), $"{m.DeclaringType?.FullName}.{m.Name}");
                if (m.DeclaringType is { } dt) AddGenericArguments(arrows, from, user, dt);
                if (m is MethodInfo { IsGenericMethod: true } gm)
                    foreach (var a in gm.GetGenericArguments()) AddType(arrows, from, user, a);
                break;
            case FieldInfo f:
                Add(arrows, from, user, PartOf(f.DeclaringType!), $"{f.DeclaringType!.FullName}.{f.Name}");
                AddType(arrows, from, user, f.FieldType);
                break;
        }
    }

    void AddType(List<Arrow> arrows, string from, string user, Type type)
    {
        while (type.HasElementType) type = type.GetElementType()!;
        if (type.IsGenericParameter) return;
        Add(arrows, from, user, PartOf(type), type.FullName ?? type.Name);
        AddGenericArguments(arrows, from, user, type);
    }

    void AddGenericArguments(List<Arrow> arrows, string from, string user, Type type)
    {
        if (type.IsGenericType)
            foreach (var a in type.GetGenericArguments()) AddType(arrows, from, user, a);
    }

    static void Add(List<Arrow> arrows, string from, string user, string? to, string target)
    {
        if (to is not null && to != from && to != "(generated)" && from != "(generated)")
            arrows.Add(new Arrow(from, to, user, target));
    }

    // ---- IL ----

    static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value, op => op.OperandType);

    // Every member or type named by a token in the IL (calls, field accesses, newobj, ldtoken, castclass, box …).
    static IEnumerable<MemberInfo> IlTokens(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short code = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var operand = Operands[code];
            switch (operand)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs)!;
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += operand switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        _ => 4,
                    };
                    break;
            }
        }
    }
}
