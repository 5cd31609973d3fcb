using DeZero.Layers;

namespace DeZero.Models;

/// <summary>Base of user-defined networks (the book's <c>Model</c>): a <see cref="Layer"/> whose sub-layers are its fields.</summary>
public abstract class Model : Layer;
