using System.Text;
using DeZero.Data;

namespace DeZero.Vision;

/// <summary>
/// A character dataset, the book's <c>Shakespear</c> (its spelling): the text as character ids in order of first
/// appearance; example i is the id of character i and its label the id of character i + 1. The book downloads
/// tiny-shakespeare; here the text comes from a local file, e.g. <c>data/tinyshakespeare/input.txt</c> of the
/// karpathy/char-rnn repository. <see cref="Shakespeare"/> is the same dataset under the usual spelling.
/// </summary>
/// <remarks>
/// The file is read as UTF-8 text with Python's newline translation (CRLF and CR become LF), as the book's
/// <c>open(path, 'r')</c> reads it. Data and labels are int64 arrays of length (characters − 1).
/// </remarks>
public class Shakespear : Dataset
{
    /// <summary>Reads the text file at <paramref name="path"/>.</summary>
    /// <param name="path">A UTF-8 text file of at least two characters.</param>
    /// <param name="train">The book's <c>train</c> flag; both splits hold the whole text, as in the book.</param>
    /// <param name="transform">Per-example transform; null for none.</param>
    /// <param name="targetTransform">Per-label transform; null for none.</param>
    public Shakespear(string path, bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null)
        : base(train, transform, targetTransform)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"{GetType().Name}: '{full}' does not exist. Save a text file there, e.g. tiny-shakespeare (data/tinyshakespeare/input.txt of the karpathy/char-rnn repository), which the book downloads.", full);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(full));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{GetType().Name}: '{full}' is not UTF-8 text ({e.Message}).", e);
        }
        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n');
        if (text.Length < 2)
            throw new InvalidDataException($"{GetType().Name}: '{full}' has {text.Length} character(s); at least 2 are needed for one example and its next-character label.");
        var charToId = new Dictionary<char, int>();
        var idToChar = new List<char>();
        var ids = new long[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsSurrogate(c))
                throw new InvalidDataException($"{GetType().Name}: '{full}' has a character outside the Basic Multilingual Plane at position {i}; only single UTF-16 characters are supported.");
            if (!charToId.TryGetValue(c, out int id))
            {
                id = idToChar.Count;
                charToId.Add(c, id);
                idToChar.Add(c);
            }
            ids[i] = id;
        }
        Data = new NDArray(ids[..^1], ids.Length - 1);
        Label = new NDArray(ids[1..], ids.Length - 1);
        CharToId = charToId;
        IdToChar = idToChar.AsReadOnly();
    }

    /// <summary>Each character's id, numbered in order of first appearance (the book's <c>char_to_id</c>).</summary>
    public IReadOnlyDictionary<char, int> CharToId { get; }

    /// <summary>The character of each id (the book's <c>id_to_char</c>).</summary>
    public IReadOnlyList<char> IdToChar { get; }
}

/// <summary>The book's <see cref="Shakespear"/> under the usual spelling.</summary>
public class Shakespeare(string path, bool train = true, Func<NDArray, NDArray>? transform = null, Func<NDArray, NDArray>? targetTransform = null)
    : Shakespear(path, train, transform, targetTransform);
