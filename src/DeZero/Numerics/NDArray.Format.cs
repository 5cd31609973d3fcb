using System.Globalization;
using System.Numerics;
using System.Text;

namespace DeZero;

public sealed partial class NDArray
{
    // NumPy 1.24's default print options.
    const int LineWidth = 75, Threshold = 1000, EdgeItems = 3, Precision = 8;

    /// <summary>
    /// NumPy's <c>str(a)</c> with the default print options, e.g. <c>[[1. 2.]\n [3. 4.]]</c>; a 0-d array
    /// prints as its scalar (<c>0.5</c>, <c>1e-05</c>, <c>True</c>).
    /// </summary>
    public override string ToString()
    {
        if (Ndim == 0) return ScalarString();
        return Size == 0 ? "[]" : Format(" ", "", LineWidth);
    }

    /// <summary>NumPy's <c>repr(a)</c>, e.g. <c>array([1., 2.], dtype=float32)</c>.</summary>
    public string Repr()
    {
        // float64, int64 and bool are NumPy's defaults, so their repr omits the dtype (unless the array is empty).
        bool implied = Size > 0 && DType is DType.Float64 or DType.Int64 or DType.Bool;
        string suffix = implied ? ")" : ",";
        string list = Size > 0 ? Format(", ", "array(", LineWidth - suffix.Length)
            : Ndim == 1 ? "[]"
            : "[], shape=" + ShapeUtil.Str(Dims);
        string s = "array(" + list + suffix;
        if (implied) return s;
        string dtype = $"dtype={DType.Name()})";
        int lastLine = s.Length - (s.LastIndexOf('\n') + 1);
        return s + (lastLine + dtype.Length + 1 > LineWidth ? "\n      " : " ") + dtype;
    }

    // The str of a 0-d array: Python's str of the scalar, which for floats uses the shortest digits.
    string ScalarString() => DType switch
    {
        DType.Bool => GetFlat(0) != 0 ? "True" : "False",
        DType.Int64 => Span<long>()[0].ToString(CultureInfo.InvariantCulture),
        DType.Int32 => Span<int>()[0].ToString(CultureInfo.InvariantCulture),
        _ => FloatFormat.ScalarString(GetFlat(0), DType == DType.Float32),
    };

    // NumPy's array2string: an element formatter fitted to the printed values, then _formatArray's nesting and wrapping.
    string Format(string separator, string prefix, int lineWidth)
    {
        bool summarize = Size > Threshold;
        Func<int, string> element = DType switch
        {
            DType.Bool => ElementsOfBool(),
            DType.Int64 or DType.Int32 => ElementsOfInt(summarize),
            _ => ElementsOfFloat(summarize),
        };
        string indent = " " + new string(' ', prefix.Length);
        return Nest(element, ShapeUtil.Strides(Dims), 0, 0, indent, lineWidth, separator, summarize);
    }

    Func<int, string> ElementsOfFloat(bool summarize)
    {
        var f = new FloatFormat(PrintedFlat(summarize).Select(GetFlat).ToList(), DType == DType.Float32);
        return i => f.Format(GetFlat(i));
    }

    Func<int, string> ElementsOfBool()
    {
        string t = Ndim == 0 ? "True" : " True";
        return i => GetFlat(i) != 0 ? t : "False";
    }

    Func<int, string> ElementsOfInt(bool summarize)
    {
        long max = long.MinValue, min = long.MaxValue;
        foreach (int i in PrintedFlat(summarize))
        {
            long v = DType == DType.Int64 ? Span<long>()[i] : Span<int>()[i];
            max = Math.Max(max, v);
            min = Math.Min(min, v);
        }
        int width = Math.Max(max.ToString(CultureInfo.InvariantCulture).Length, min.ToString(CultureInfo.InvariantCulture).Length);
        return i => (DType == DType.Int64 ? Span<long>()[i] : Span<int>()[i]).ToString(CultureInfo.InvariantCulture).PadLeft(width);
    }

    // Flat indices of the elements that get printed: all, or the first and last EdgeItems along every long axis.
    IEnumerable<int> PrintedFlat(bool summarize)
    {
        if (!summarize)
        {
            for (int i = 0; i < Size; i++) yield return i;
            yield break;
        }
        var strides = ShapeUtil.Strides(Dims);
        var axes = Dims.Select(n => n > 2 * EdgeItems
            ? Enumerable.Range(0, EdgeItems).Concat(Enumerable.Range(n - EdgeItems, EdgeItems)).ToArray()
            : Enumerable.Range(0, n).ToArray()).ToArray();
        var idx = new int[Ndim];
        while (true)
        {
            int flat = 0;
            for (int k = 0; k < Ndim; k++) flat += axes[k][idx[k]] * strides[k];
            yield return flat;
            int d = Ndim - 1;
            for (; d >= 0; d--)
            {
                if (++idx[d] < axes[d].Length) break;
                idx[d] = 0;
            }
            if (d < 0) yield break;
        }
    }

    // NumPy's _formatArray recurser (non-legacy) for the sub-array at flat offset `offset` from axis `axis` on.
    string Nest(Func<int, string> element, int[] strides, int axis, int offset, string indent, int width, string separator, bool summarize)
    {
        if (axis == Ndim) return element(offset);
        string nextIndent = indent + " ";
        int n = Dims[axis];
        bool summary = summarize && 2 * EdgeItems < n;
        int lead = summary ? EdgeItems : 0;
        int trail = summary ? EdgeItems : n;
        var s = new StringBuilder();
        if (axis == Ndim - 1)
        {
            int elemWidth = width - Math.Max(separator.TrimEnd().Length, 1);
            var line = new StringBuilder(indent);
            for (int i = 0; i < lead; i++)
            {
                Extend(s, line, element(offset + i * strides[axis]), elemWidth, indent);
                line.Append(separator);
            }
            if (summary)
            {
                Extend(s, line, "...", elemWidth, indent);
                line.Append(separator);
            }
            for (int i = trail; i > 1; i--)
            {
                Extend(s, line, element(offset + (n - i) * strides[axis]), elemWidth, indent);
                line.Append(separator);
            }
            Extend(s, line, element(offset + (n - 1) * strides[axis]), elemWidth, indent);
            s.Append(line);
        }
        else
        {
            string lineSep = separator.TrimEnd() + new string('\n', Ndim - axis - 1);
            for (int i = 0; i < lead; i++)
                s.Append(indent).Append(Nest(element, strides, axis + 1, offset + i * strides[axis], nextIndent, width - 1, separator, summarize)).Append(lineSep);
            if (summary) s.Append(indent).Append("...").Append(lineSep);
            for (int i = trail; i > 1; i--)
                s.Append(indent).Append(Nest(element, strides, axis + 1, offset + (n - i) * strides[axis], nextIndent, width - 1, separator, summarize)).Append(lineSep);
            s.Append(indent).Append(Nest(element, strides, axis + 1, offset + (n - 1) * strides[axis], nextIndent, width - 1, separator, summarize));
        }
        // The first line's hanging indent becomes the opening bracket.
        return "[" + s.ToString(indent.Length, s.Length - indent.Length) + "]";
    }

    // NumPy's _extendLine: wrap before `word` if the line would pass `width`, unless the line holds only the indent.
    static void Extend(StringBuilder s, StringBuilder line, string word, int width, string indent)
    {
        if (line.Length + word.Length > width && line.Length > indent.Length)
        {
            int end = line.Length;
            while (end > 0 && line[end - 1] == ' ') end--;
            s.Append(line, 0, end).Append('\n');
            line.Clear().Append(indent);
        }
        line.Append(word);
    }

    /// <summary>
    /// NumPy's FloatingFormat for floatmode 'maxprec', precision 8, suppress False: positional or scientific
    /// notation chosen for the whole array, unique (shortest round-trip) digits capped at the precision, aligned on the point.
    /// </summary>
    internal sealed class FloatFormat
    {
        readonly bool _f32, _exp;
        readonly int _padLeft, _padRight, _digits, _expSize; // _digits: mantissa digits after the point in scientific mode

        public FloatFormat(List<double> values, bool f32)
        {
            _f32 = f32;
            var finite = values.Where(double.IsFinite).ToList();
            var nonZero = finite.Where(v => v != 0).Select(Math.Abs).ToList();
            if (nonZero.Count > 0)
            {
                double max = nonZero.Max(), min = nonZero.Min();
                _exp = max >= 1e8 || min < 1e-4 || max / min > 1000;
            }
            // A first pass over the unique digits sizes the columns, as NumPy's fillFormat does.
            if (_exp)
            {
                foreach (var v in finite)
                {
                    var d = Digits.Of(v, f32).Scientific(Precision, 0);
                    _digits = Math.Max(_digits, d.Text.Length - 1);
                    _padLeft = Math.Max(_padLeft, d.Negative ? 2 : 1);
                    _expSize = Math.Max(_expSize, Math.Max(Math.Abs(d.Point - 1).ToString(CultureInfo.InvariantCulture).Length, 2));
                }
                _padRight = _expSize + 2 + _digits;
            }
            else
            {
                foreach (var v in finite)
                {
                    var (i, f) = Digits.Of(v, f32).Positional(Precision, -1).Parts();
                    _padLeft = Math.Max(_padLeft, i.Length);
                    _padRight = Math.Max(_padRight, f.Length);
                }
            }
            // nan, inf and -inf are right-aligned in the same width.
            if (finite.Count < values.Count)
                _padLeft = Math.Max(_padLeft, (values.Any(double.IsNegativeInfinity) ? 4 : 3) - _padRight - 1);
        }

        public string Format(double x)
        {
            if (!double.IsFinite(x))
            {
                string r = double.IsNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
                return r.PadLeft(_padLeft + _padRight + 1);
            }
            if (_exp)
            {
                var d = Digits.Of(x, _f32).Scientific(_digits, _digits);
                string mant = (d.Negative ? "-" : "") + (d.Text.Length > 0 ? d.Text[..1] : "0") + "."
                    + (d.Text.Length > 1 ? d.Text[1..] : "").PadRight(_digits, '0');
                int e = d.Text.Length > 0 ? d.Point - 1 : 0;
                int dot = mant.IndexOf('.');
                return new string(' ', Math.Max(0, _padLeft - dot)) + mant + "e" + (e < 0 ? "-" : "+")
                    + Math.Abs(e).ToString(CultureInfo.InvariantCulture).PadLeft(_expSize, '0');
            }
            var (ip, fp) = Digits.Of(x, _f32).Positional(Precision, 0).Parts();
            return ip.PadLeft(_padLeft) + "." + fp.PadRight(_padRight);
        }

        /// <summary>NumPy's str of a float scalar: shortest digits, positional for 1e-4 ≤ |x| &lt; 1e16, else scientific.</summary>
        public static string ScalarString(double x, bool f32)
        {
            if (double.IsNaN(x)) return "nan";
            if (double.IsInfinity(x)) return x < 0 ? "-inf" : "inf";
            var d = Digits.Of(x, f32);
            double ax = Math.Abs(x);
            if (ax == 0 || (ax >= 1e-4 && ax < 1e16))
            {
                var (ip, fp) = d.Parts();
                return ip + "." + (fp.Length == 0 ? "0" : fp);
            }
            int e = d.Point - 1;
            return (d.Negative ? "-" : "") + d.Text[..1] + (d.Text.Length > 1 ? "." + d.Text[1..] : "")
                + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A decimal value ±0.Text × 10^Point with no leading or trailing zeros in Text (empty for zero): the
    /// shortest round-trip digits of a double or float, or the exact binary value rounded half-to-even like NumPy's Dragon4.
    /// </summary>
    internal readonly record struct Digits(bool Negative, string Text, int Point, double Value)
    {
        /// <summary>The shortest digits that read back as <paramref name="x"/> (as a float when <paramref name="f32"/>).</summary>
        public static Digits Of(double x, bool f32)
        {
            bool neg = double.IsNegative(x);
            if (x == 0) return new(neg, "", 1, x);
            string r = f32 ? ((float)Math.Abs(x)).ToString("R", CultureInfo.InvariantCulture) : Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
            int e = r.IndexOf('E');
            int exp = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), CultureInfo.InvariantCulture);
            string mant = e < 0 ? r : r[..e];
            int dot = mant.IndexOf('.');
            int intLen = dot < 0 ? mant.Length : dot;
            return Normalize(neg, mant.Replace(".", ""), intLen + exp, x);
        }

        static Digits Normalize(bool neg, string digits, int point, double value)
        {
            int lead = 0;
            while (lead < digits.Length && digits[lead] == '0') lead++;
            int end = digits.Length;
            while (end > lead && digits[end - 1] == '0') end--;
            return lead == end ? new(neg, "", 1, value) : new(neg, digits[lead..end], point - lead, value);
        }

        // The exact decimal expansion of the binary value.
        Digits Exact()
        {
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(Value));
            int be = (int)(bits >> 52);
            long mant = bits & ((1L << 52) - 1);
            if (be == 0) be = 1; else mant |= 1L << 52;
            be -= 1075;
            BigInteger n = mant;
            string s;
            int point;
            if (be >= 0)
            {
                s = (n << be).ToString(CultureInfo.InvariantCulture);
                point = s.Length;
            }
            else
            {
                s = (n * BigInteger.Pow(5, -be)).ToString(CultureInfo.InvariantCulture);
                point = s.Length + be;
            }
            return Normalize(Negative, s, point, Value);
        }

        // The exact value rounded half-to-even to `keep` digits.
        Digits Rounded(int keep)
        {
            var x = Exact();
            if (keep >= x.Text.Length) return x;
            if (keep < 0) return this with { Text = "", Point = 1 };
            char next = x.Text[keep];
            bool odd = keep > 0 && (x.Text[keep - 1] - '0') % 2 == 1;
            bool up = next > '5' || (next == '5' && (x.Text.Length > keep + 1 || odd));
            var d = x.Text.ToCharArray(0, keep);
            int point = x.Point;
            if (up)
            {
                int k = keep - 1;
                while (k >= 0 && d[k] == '9') d[k--] = '0';
                if (k >= 0) d[k]++;
                else
                {
                    d = ['1', .. d];
                    point++;
                }
            }
            return Normalize(Negative, new string(d), point, Value);
        }

        /// <summary>
        /// Digits for positional notation: unique digits, at most <paramref name="precision"/> after the point and, unless
        /// <paramref name="minDigits"/> is negative, down to at least the 10^-minDigits place (so 0 prints every integer digit exactly).
        /// </summary>
        public Digits Positional(int precision, int minDigits)
        {
            int frac = Text.Length - Point;
            if (frac > precision) return Rounded(Exact().Point + precision);
            return minDigits >= 0 && frac < minDigits ? Rounded(Exact().Point + minDigits) : this;
        }

        /// <summary>Digits for scientific notation: unique digits, between <paramref name="minDigits"/> and <paramref name="precision"/> after the first.</summary>
        public Digits Scientific(int precision, int minDigits)
        {
            int frac = Text.Length - 1;
            if (Text.Length == 0) return this;
            if (frac > precision) return Rounded(precision + 1);
            return frac < minDigits ? Rounded(minDigits + 1) : this;
        }

        /// <summary>The signed integer part and the fraction digits of positional notation.</summary>
        public (string Int, string Frac) Parts()
        {
            string ip = Point <= 0 ? "0" : Point >= Text.Length ? Text + new string('0', Point - Text.Length) : Text[..Point];
            if (ip.Length == 0) ip = "0";
            string fp = Point < 0 ? new string('0', -Point) + Text : Point < Text.Length ? Text[Point..] : "";
            return ((Negative ? "-" : "") + ip, fp);
        }
    }
}
