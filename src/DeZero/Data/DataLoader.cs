using System.Collections;

namespace DeZero.Data;

/// <summary>
/// The book's <c>DataLoader</c>: iterates over a dataset in mini-batches of stacked examples,
/// <c>foreach (var (x, t) in loader)</c>. The last batch is smaller when the batch size does not divide the dataset.
/// </summary>
/// <remarks>
/// Like the book the loader keeps its position: an epoch that is left early (<c>break</c>) resumes where it stopped,
/// and an epoch that runs to the end calls <see cref="Reset"/>. With shuffling the order is
/// <c>RandomState.Global.Permutation(n)</c>, drawn in the constructor and at the end of every epoch, exactly when the
/// book draws from <c>np.random</c>, so a seeded program sees the same batches and later draws as the Python original.
/// </remarks>
public class DataLoader : IEnumerable<(NDArray x, NDArray t)>
{
    long[] index = [];

    /// <summary>A loader over <paramref name="dataset"/> giving batches of <paramref name="batchSize"/> examples.</summary>
    /// <param name="dataset">A dataset with at least one example.</param>
    /// <param name="batchSize">Examples per batch (positive).</param>
    /// <param name="shuffle">Whether each epoch visits the examples in a new random order.</param>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = true) : this(dataset, batchSize, shuffle, dataset?.Count ?? 0) => Reset();

    /// <summary>
    /// A loader whose epoch visits <paramref name="epochSize"/> examples (a derived loader's share of the dataset), with the
    /// checks of the public constructor. It does not start the first epoch: the derived constructor calls <see cref="Reset"/>.
    /// </summary>
    protected DataLoader(Dataset dataset, int batchSize, bool shuffle, int epochSize)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string name = GetType().Name;
        Hyper.Positive(batchSize, name, nameof(batchSize));
        int n = dataset.Count;
        if (n == 0) throw new ArgumentException($"{name}: the dataset {dataset.GetType().Name} has no examples.", nameof(dataset));
        if (dataset.Label is { } label && label.Length != n)
            throw new ArgumentException($"{name}: the dataset {dataset.GetType().Name} has {n} examples but {label.Length} labels.", nameof(dataset));
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DataSize = n;
        MaxIter = (int)((epochSize + (long)batchSize - 1) / batchSize);
    }

    /// <summary>The dataset iterated over.</summary>
    public Dataset Dataset { get; }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch shuffles the examples.</summary>
    public bool Shuffle { get; }

    /// <summary>Number of examples in the dataset (the book's <c>data_size</c>).</summary>
    public int DataSize { get; }

    /// <summary>Batches per epoch, ceil(DataSize / BatchSize) (the book's <c>max_iter</c>; a derived loader's share of it).</summary>
    public int MaxIter { get; }

    /// <summary>Batches already given in the current epoch.</summary>
    public int Iteration { get; private set; }

    /// <summary>Starts a new epoch: rewinds and, when shuffling, draws a new order from <see cref="RandomState.Global"/>.</summary>
    public void Reset()
    {
        Iteration = 0;
        NewEpoch();
    }

    /// <summary>Draws the order of a new epoch (<see cref="Reset"/> calls it): <c>RandomState.Global.Permutation(DataSize)</c> when shuffling.</summary>
    protected virtual void NewEpoch() => index = Shuffle ? RandomState.Global.Permutation(DataSize).ToArray<long>() : [];

    /// <summary>The dataset positions of the examples in batch <paramref name="iteration"/> of the current epoch.</summary>
    protected virtual int[] BatchIndices(int iteration)
    {
        int start = iteration * BatchSize, count = Math.Min(BatchSize, DataSize - start);
        var idx = new int[count];
        for (int k = 0; k < count; k++) idx[k] = Shuffle ? (int)index[start + k] : start + k;
        return idx;
    }

    /// <summary>The remaining batches of the current epoch; reaching the end resets the loader for the next epoch.</summary>
    public IEnumerator<(NDArray x, NDArray t)> GetEnumerator()
    {
        while (Iteration < MaxIter)
        {
            var batch = Dataset.GetBatch(BatchIndices(Iteration));
            Iteration++;
            yield return batch;
        }
        Reset();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The book's <c>SeqDataLoader</c> for time series: never shuffles; batch row i of iteration k is example
/// <c>(i * (DataSize / BatchSize) + k) % DataSize</c>, so each row walks its own stretch of the sequence.
/// </summary>
public class SeqDataLoader : DataLoader
{
    /// <summary>A sequential loader over <paramref name="dataset"/> giving batches of <paramref name="batchSize"/> rows.</summary>
    public SeqDataLoader(Dataset dataset, int batchSize) : base(dataset, batchSize, shuffle: false) { }

    /// <inheritdoc/>
    protected override int[] BatchIndices(int iteration)
    {
        int jump = DataSize / BatchSize;
        var idx = new int[BatchSize];
        for (int i = 0; i < BatchSize; i++) idx[i] = (int)(((long)i * jump + iteration) % DataSize);
        return idx;
    }
}
