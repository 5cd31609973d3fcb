using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DeZero.IO;

// The prefix of a .npy file: magic "\x93NUMPY", version, header length and a Python dict literal
// {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), } padded with spaces and a newline.
internal static class NpyHeader
{
    internal static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // NumPy's NPY_MAXDIMS and the default max_header_size of np.load.
    internal const int MaxDims = 32;
    internal const int MaxLength = 10000;

    // NumPy pads the header so the data starts on a 64-byte boundary, after spare room for the first
    // axis to grow to 21 digits.
    const int Align = 64;
    const int GrowthAxisMaxDigits = 21;

    static readonly (string Descr, DType DType)[] Dtypes =
        [("<f8", DType.Float64), ("<f4", DType.Float32), ("<i8", DType.Int64), ("<i4", DType.Int32), ("|b1", DType.Bool)];

    static string Descr(DType t) => Dtypes.First(x => x.DType == t).Descr;

    /// <summary>The bytes NumPy 1.24's np.save writes before the data of a C-ordered array (format 1.0).</summary>
    internal static byte[] Format(DType dtype, int[] shape)
    {
        var dims = shape.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray();
        var sb = new StringBuilder("{'descr': '").Append(Descr(dtype)).Append("', 'fortran_order': False, 'shape': (");
        sb.AppendJoin(", ", dims).Append(dims.Length == 1 ? ",), }" : "), }");
        if (dims.Length > 0) sb.Append(' ', GrowthAxisMaxDigits - dims[0].Length);
        int prefix = Magic.Length + 4;
        sb.Append(' ', Align - (prefix + sb.Length + 1) % Align).Append('\n');

        var bytes = new byte[prefix + sb.Length];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)sb.Length);
        Encoding.ASCII.GetBytes(sb.ToString(), bytes.AsSpan(prefix));
        return bytes;
    }

    /// <summary>Parses and validates the header dict; errors are InvalidDataExceptions prefixed with <paramref name="source"/>.</summary>
    internal static (DType DType, int[] Shape, bool Fortran, int Size) Parse(string text, string source)
    {
        var d = new Parser(text, source).Document();
        string shown = Shown(text);
        if (d.Count != 3 || !d.ContainsKey("descr") || !d.ContainsKey("fortran_order") || !d.ContainsKey("shape"))
            throw Npy.Corrupt(source, $"the header has keys [{string.Join(", ", d.Keys.Select(k => $"'{k}'"))}], expected 'descr', 'fortran_order' and 'shape': {shown}");

        int t = Array.FindIndex(Dtypes, x => x.Descr.Equals(d["descr"]));
        if (t < 0)
            throw Npy.Corrupt(source, $"unsupported dtype {Repr(d["descr"])} (supported: {string.Join(", ", Dtypes.Select(x => $"'{x.Descr}'"))}): {shown}");
        if (d["fortran_order"] is not bool fortran)
            throw Npy.Corrupt(source, $"fortran_order is not True or False: {shown}");
        if (d["shape"] is not object[] dims || dims.Any(x => x is not long))
            throw Npy.Corrupt(source, $"the shape is not a tuple of integers: {shown}");
        if (dims.Length > MaxDims)
            throw Npy.Corrupt(source, $"the shape has {dims.Length} dimensions, more than NumPy's {MaxDims}: {shown}");

        var shape = new int[dims.Length];
        long size = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long n = (long)dims[i];
            if (n < 0 || n > int.MaxValue)
                throw Npy.Corrupt(source, $"invalid dimension {n} in the shape: {shown}");
            shape[i] = (int)n;
            size = Math.Min(size * n, long.MaxValue / int.MaxValue); // saturates; only compared below
        }
        if (size > Array.MaxLength)
            throw Npy.Corrupt(source, $"the shape has more elements than a .NET array can hold: {shown}");
        return (Dtypes[t].DType, shape, fortran, (int)size);
    }

    static string Shown(string text)
    {
        text = text.Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }

    static string Repr(object? v) => v switch
    {
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        object[] items => $"({string.Join(", ", items.Select(Repr))}{(items.Length == 1 ? "," : "")})",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "None",
    };

    // A recursive-descent reader of the Python literals a header holds: a dict with string keys whose
    // values are strings, True/False, integers (with Python 2's optional L suffix) and tuples.
    sealed class Parser(string text, string source)
    {
        int pos;

        public Dictionary<string, object> Document()
        {
            var d = new Dictionary<string, object>();
            Expect('{');
            while (Peek() != '}')
            {
                int at = pos;
                if (Value() is not string key) throw Error("a dict key must be a string", at);
                Expect(':');
                if (!d.TryAdd(key, Value())) throw Error($"duplicate key '{key}'", at);
                if (Peek() != ',') break;
                pos++;
            }
            Expect('}');
            Peek();
            if (pos < text.Length) throw Error("unexpected text after the dict", pos);
            return d;
        }

        object Value()
        {
            char c = Peek();
            int at = pos;
            if (c is '\'' or '"')
            {
                int end = text.IndexOf(c, ++pos);
                if (end < 0 || text.AsSpan(pos, end - pos).ContainsAny('\\', '\n')) throw Error("unsupported string literal", at);
                pos = end + 1;
                return text[(at + 1)..end];
            }
            if (c == '(') return Tuple();
            if (c is '-' or '+' || char.IsAsciiDigit(c))
            {
                pos++;
                while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                if (!long.TryParse(text.AsSpan(at, pos - at), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                    throw Error("invalid or too large integer", at);
                if (pos < text.Length && text[pos] is 'L' or 'l') pos++;
                return n;
            }
            while (pos < text.Length && char.IsAsciiLetter(text[pos])) pos++;
            return text[at..pos] switch
            {
                "True" => true,
                "False" => false,
                _ => throw Error("expected a string, number, True, False or tuple", at),
            };
        }

        // "(a, b)", "(a,)" and "()" are tuples; "(a)" is just a in parentheses, as in Python.
        object Tuple()
        {
            pos++;
            var items = new List<object>();
            bool comma = false;
            while (Peek() != ')')
            {
                items.Add(Value());
                if (Peek() != ',') break;
                pos++;
                comma = true;
            }
            Expect(')');
            return items.Count == 1 && !comma ? items[0] : items.ToArray();
        }

        // The next non-blank character ('\0' at the end), skipping whitespace.
        char Peek()
        {
            while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r' or '\f') pos++;
            return pos < text.Length ? text[pos] : '\0';
        }

        void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'", pos);
            pos++;
        }

        InvalidDataException Error(string what, int at) =>
            Npy.Corrupt(source, $"malformed header ({what} at character {at}): {Shown(text)}");
    }
}
