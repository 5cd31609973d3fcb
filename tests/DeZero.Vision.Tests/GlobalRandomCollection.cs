namespace DeZero.Vision.Tests;

/// <summary>Tests that seed or draw from RandomState.Global run one at a time (it is shared state).</summary>
[CollectionDefinition("GlobalRandom", DisableParallelization = true)]
public class GlobalRandomCollection;
