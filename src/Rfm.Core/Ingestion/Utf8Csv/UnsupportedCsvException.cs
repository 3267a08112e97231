namespace Rfm;

/// <summary>The byte-level reader met something only the general reader handles (or explains); never leaves the library.</summary>
internal sealed class UnsupportedCsvException(string reason) : Exception(reason);
