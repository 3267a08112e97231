using System.Buffers.Binary;

namespace Rfm.Fuzz;

/// <summary>
/// A saved accumulator state, through <see cref="RfmAccumulator.Load"/>: an accumulator or the
/// <see cref="InvalidDataException"/> Load documents, never another exception, a hang or a huge allocation. An
/// accumulator loaded saves to a state that loads back to the same bytes, and can be measured.
/// </summary>
internal static class StateTarget
{
    // A first byte below 192 makes the rest's length field and checksum good, so that the fuzzer reaches the parser past
    // them; from 192 up the rest is loaded as it is.
    private const byte AsGiven = 192;

    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var state = data[1..];
        if (data[0] < AsGiven && state.Length >= 24)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(12), (ulong)state.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(state.Length - 4), Crc32C(state.AsSpan(0, state.Length - 4)));
        }

        RfmAccumulator loaded;
        try
        {
            loaded = RfmAccumulator.Load(new MemoryStream(state, writable: false));
        }
        catch (InvalidDataException)
        {
            return;
        }
        catch (ArgumentException ex) when (ex.ParamName == "policy")
        {
            // A sound state made under another policy than the default.
            return;
        }

        var saved = Save(loaded);
        var again = Save(RfmAccumulator.Load(new MemoryStream(saved)));
        if (!saved.AsSpan().SequenceEqual(again))
        {
            throw new FuzzFaultException("a loaded state saved, loaded and saved again gives other bytes");
        }

        try
        {
            _ = loaded.Snapshot(loaded.Cutoff ?? DateTime.MaxValue);
        }
        catch (OverflowException)
        {
            // Documented for Snapshot: money together beyond a decimal, which a state may hold.
        }
    }

    private static byte[] Save(RfmAccumulator accumulator)
    {
        using var stream = new MemoryStream();
        accumulator.Save(stream);
        return stream.ToArray();
    }

    // CRC-32C, as the format gives it (docs/state-format.md): the harness computes it on its own.
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
