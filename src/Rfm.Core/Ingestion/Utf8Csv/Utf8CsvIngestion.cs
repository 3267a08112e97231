using System.Text.Unicode;

namespace Rfm;

/// <summary>
/// The byte-level CSV reader for UTF-8 files in the common shape (one record a line, a header the caller has read,
/// ISO dates and plain numbers): a file on disk in parallel chunks, one per core, each
/// into its own accumulator, merged in file order; any stream in one pass. Either all rows go into the target or,
/// when the file needs the general reader, none do and the caller is told so. What it reads, it reads as
/// <see cref="RfmAccumulator.Add(System.Data.IDataReader, TransactionColumns, IProgress{long}?, CancellationToken)"/> reads the same
/// rows from a CSV data reader: the same numbers, the same exclusions.
/// </summary>
/// <remarks>
/// A chunk starts after a line feed near its share of the file, which is a row boundary unless a quoted value spans
/// lines there. That guess is checked: the previous chunk must end exactly where the next began, otherwise the file
/// is read again in one pass. Results do not depend on the number of chunks: the merge is exact and the snapshot
/// orders customers by id.
/// </remarks>
public static class Utf8CsvIngestion
{
    private const int BlockSize = 1 << 18;
    private const int HeaderBlockSize = 1 << 16;

    /// <summary>The longest record either reader takes (16 MiB); a longer one is the general reader's to report.</summary>
    public const int MaxRecordLength = 16 << 20;

    // Below this a chunk costs more to start and merge than it saves.
    private const long DefaultMinChunkLength = 4 << 20;

    /// <summary>Reads a file on disk, in up to <paramref name="threads"/> chunks read at once.</summary>
    /// <param name="path">The file.</param>
    /// <param name="header">The header as the general reader sees it; the file is read only when its first row is exactly this with one of <paramref name="delimiters"/>.</param>
    /// <param name="delimiters">The delimiters to try, in order.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="target">The accumulator to add every row to; unchanged when the result is <see langword="false"/>.</param>
    /// <param name="threads">How many chunks to read at once, at least 1.</param>
    /// <param name="progress">Told the rows read and the share of the file done, now and then, from any thread, one call at a time.</param>
    /// <param name="cancellationToken">Stops the read between blocks.</param>
    /// <returns><see langword="false"/> when the file needs the general reader.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> names a partition column, which one accumulator cannot hold apart.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    public static bool TryReadFile(
        string path,
        IReadOnlyList<string> header,
        ReadOnlySpan<char> delimiters,
        TransactionColumns columns,
        RfmAccumulator target,
        int threads,
        IProgress<(long Rows, double Fraction)>? progress = null,
        CancellationToken cancellationToken = default) =>
        TryReadFile(path, header, delimiters, columns, target, threads, progress, cancellationToken, DefaultMinChunkLength);

    /// <summary>
    /// <see cref="TryReadFile(string, IReadOnlyList{string}, ReadOnlySpan{char}, TransactionColumns, RfmAccumulator, int, IProgress{ValueTuple{long, double}}?, CancellationToken)"/>
    /// with chunks of at least <paramref name="minChunkLength"/> bytes: tests make it tiny to put chunk boundaries everywhere.
    /// </summary>
    internal static bool TryReadFile(
        string path,
        IReadOnlyList<string> header,
        ReadOnlySpan<char> delimiters,
        TransactionColumns columns,
        RfmAccumulator target,
        int threads,
        IProgress<(long Rows, double Fraction)>? progress,
        CancellationToken cancellationToken,
        long minChunkLength)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minChunkLength, 1);
        DataReaderIngestion.RefusePartition(columns);
        Layout? layout;
        long length;
        using (var head = OpenRead(path))
        {
            var first = new byte[HeaderBlockSize];
            layout = ReadLayout(first.AsSpan(0, head.ReadAtLeast(first, first.Length, throwOnEndOfStream: false)), header, delimiters, columns);
            length = head.Length;
        }

        if (layout is null)
        {
            return false;
        }

        var starts = ChunkStarts(path, layout.DataStart, length, threads, minChunkLength);
        var count = starts.Length - 1;
        var partials = new RfmAccumulator[count];
        var ends = new long[count];
        var failed = new bool[count];
        var errors = new Exception?[count];
        var shared = new SharedProgress(progress, length);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count, CancellationToken = cancellationToken }, chunk =>
        {
            partials[chunk] = target.CreateEmptyLike();
            try
            {
                using var stream = OpenRead(path);
                stream.Position = starts[chunk];
                var stop = chunk + 1 < count ? starts[chunk + 1] : long.MaxValue;
                ends[chunk] = ReadRows(stream, starts[chunk], stop, layout.Parser(columns, partials[chunk]), shared, cancellationToken);
            }
            catch (Exception ex) when (ex is UnsupportedCsvException or OverflowException)
            {
                failed[chunk] = true;
            }
            catch (Exception ex)
            {
                errors[chunk] = ex;
            }
        });

        // An error reading the file (not a row the reader declines) is the caller's, as it would be from one thread.
        if (Array.Find(errors, error => error is not null) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        // The chunks up to 'held' began on rows, each where the one before it ended. A failure among them is real; a
        // failure or a broken boundary after them may come from a wrong guess of where a row begins.
        var held = 0;
        while (held < count - 1 && !failed[held] && ends[held] == starts[held + 1])
        {
            held++;
        }

        if (Array.IndexOf(failed, true) is var firstFailed and >= 0 && firstFailed <= held)
        {
            return false;
        }

        if (held < count - 1)
        {
            // A quoted value spanned a chunk boundary: read the whole file in one pass.
            partials = [target.CreateEmptyLike()];
            using var stream = OpenRead(path);
            stream.Position = layout.DataStart;
            if (!TryReadRows(stream, layout, columns, partials[0], new SharedProgress(progress, length), cancellationToken))
            {
                return false;
            }
        }

        return TryMergeInOrder(partials, target);
    }

    /// <summary>Reads a stream (a decompressed file, a pipe) in one pass, from its first byte.</summary>
    /// <param name="stream">The UTF-8 bytes, header line first.</param>
    /// <param name="header">The header as the general reader sees it; the data is read only when its first row is exactly this with one of <paramref name="delimiters"/>.</param>
    /// <param name="delimiters">The delimiters to try, in order.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="target">The accumulator to add every row to; unchanged when the result is <see langword="false"/>.</param>
    /// <param name="progress">Told the rows read now and then (the share done is NaN: a stream's length is unknown).</param>
    /// <param name="cancellationToken">Stops the read between blocks.</param>
    /// <returns><see langword="false"/> when the data needs the general reader; the stream is then partly read.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> names a partition column, which one accumulator cannot hold apart.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a decimal holds exactly.</exception>
    public static bool TryReadStream(
        Stream stream,
        IReadOnlyList<string> header,
        ReadOnlySpan<char> delimiters,
        TransactionColumns columns,
        RfmAccumulator target,
        IProgress<(long Rows, double Fraction)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(target);
        DataReaderIngestion.RefusePartition(columns);
        var first = new byte[HeaderBlockSize];
        var read = stream.ReadAtLeast(first, first.Length, throwOnEndOfStream: false);
        var layout = ReadLayout(first.AsSpan(0, read), header, delimiters, columns);
        if (layout is null)
        {
            return false;
        }

        var partial = target.CreateEmptyLike();
        return TryReadRows(stream, layout, columns, partial, new SharedProgress(progress, length: 0), cancellationToken, first.AsSpan((int)layout.DataStart, read - (int)layout.DataStart))
            && TryMergeInOrder([partial], target);
    }

    private static bool TryReadRows(Stream stream, Layout layout, TransactionColumns columns, RfmAccumulator partial, SharedProgress progress, CancellationToken cancellationToken, ReadOnlySpan<byte> prefix = default)
    {
        try
        {
            ReadRows(stream, layout.DataStart, long.MaxValue, layout.Parser(columns, partial), progress, cancellationToken, prefix);
            return true;
        }
        catch (Exception ex) when (ex is UnsupportedCsvException or OverflowException)
        {
            return false;
        }
    }

    private static bool TryMergeInOrder(RfmAccumulator[] partials, RfmAccumulator target)
    {
        try
        {
            for (var i = 1; i < partials.Length; i++)
            {
                partials[0].MergePartial(partials[i]);
            }

            // Merge checks every sum before it writes, so an overflow leaves the target as it was.
            if (target.IsEmpty)
            {
                target.TakeOver(partials[0]);
            }
            else
            {
                target.Merge(partials[0]);
            }

            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    // Reads rows from offset start until one starts at or after stop; returns where the last row read ends.
    // Bytes already read from the stream (after a header) come first as prefix.
    private static long ReadRows(Stream stream, long start, long stop, Utf8CsvRowParser parser, SharedProgress progress, CancellationToken cancellationToken, ReadOnlySpan<byte> prefix = default)
    {
        var buffer = new byte[BlockSize];
        prefix.CopyTo(buffer);
        var filled = prefix.Length;
        var offset = start;
        var end = false;
        var rowsReported = parser.Target.RowsRead;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (!end && filled < buffer.Length)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                end = read == 0;
                filled += read;
            }

            var data = buffer.AsSpan(0, filled);
            var limit = (int)Math.Clamp(stop - offset, 0, int.MaxValue);
            var consumed = parser.Parse(data, end, limit, out var stopped);
            progress.Add(parser.Target.RowsRead - rowsReported, consumed);
            rowsReported = parser.Target.RowsRead;
            if (stopped || (end && consumed == filled))
            {
                return offset + consumed;
            }

            if (consumed == 0 && filled == buffer.Length)
            {
                // One row fills the buffer.
                if (buffer.Length >= MaxRecordLength)
                {
                    throw new UnsupportedCsvException("a record is longer than the general reader allows");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
                continue;
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            offset += consumed;
        }
    }

    // Where each chunk starts: after the first line feed at or past its even share; the last entry is the file's end.
    private static long[] ChunkStarts(string path, long dataStart, long length, int threads, long minChunkLength)
    {
        var count = (int)Math.Clamp((length - dataStart) / minChunkLength, 1, threads);
        var starts = new long[count + 1];
        starts[0] = dataStart;
        starts[count] = length;
        using var stream = OpenRead(path);
        var buffer = new byte[HeaderBlockSize];
        for (var chunk = 1; chunk < count; chunk++)
        {
            var position = Math.Max(dataStart + ((length - dataStart) / count * chunk), starts[chunk - 1]);
            stream.Position = position;
            while (true)
            {
                var read = stream.Read(buffer);
                if (read == 0)
                {
                    position = length;
                    break;
                }

                var lineFeed = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (lineFeed >= 0)
                {
                    position += lineFeed + 1;
                    break;
                }

                position += read;
            }

            starts[chunk] = position;
        }

        return starts;
    }

    // The delimiter that makes the first row exactly the expected header, and where the rows start.
    private static Layout? ReadLayout(ReadOnlySpan<byte> data, IReadOnlyList<string> header, ReadOnlySpan<char> delimiters, TransactionColumns columns)
    {
        // A UTF-8 byte-order mark is skipped as the general reader skips it; a UTF-16 one is not UTF-8, which that reader reports.
        var bom = data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return null;
        }

        // Exactly one delimiter must give the header, with at least two fields: otherwise which one the general
        // reader chose is a guess.
        Layout? found = null;
        foreach (var delimiter in delimiters)
        {
            if (delimiter > 0x7F || delimiter is '"' or '\r' or '\n')
            {
                continue;
            }

            var fields = Utf8CsvTokenizer.ReadHeader(data[bom..], (byte)delimiter, out var length);
            if (fields is null || !Utf8.IsValid(data.Slice(bom, length)) || !fields.SequenceEqual(header, StringComparer.Ordinal))
            {
                continue;
            }

            if (found is not null || (fields.Count < 2 && delimiters.Length > 1))
            {
                return null;
            }

            try
            {
                if (Utf8CsvColumns.Resolve(fields, columns) is not { } resolved)
                {
                    return null;
                }

                found = new Layout((byte)delimiter, fields.Count, resolved, bom + length);
            }
            catch (Exception ex) when (ex is TransactionDataException or ArgumentException)
            {
                return null;
            }
        }

        return found;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    private sealed record Layout(byte Delimiter, int FieldCount, Utf8CsvColumns Columns, long DataStart)
    {
        public Utf8CsvRowParser Parser(TransactionColumns columns, RfmAccumulator target) =>
            new(Delimiter, FieldCount, Columns, columns.DateFormat, target);
    }

    /// <summary>Rows and bytes done across chunks, reported by whichever thread gets there, one at a time.</summary>
    private sealed class SharedProgress(IProgress<(long Rows, double Fraction)>? progress, long length)
    {
        private readonly Lock _gate = new();
        private long _rows;
        private long _bytes;

        public void Add(long rows, long bytes)
        {
            var total = Interlocked.Add(ref _rows, rows);
            var done = Interlocked.Add(ref _bytes, bytes);
            if (progress is not null && _gate.TryEnter())
            {
                try
                {
                    progress.Report((total, length > 0 ? Math.Min(1.0, (double)done / length) : double.NaN));
                }
                finally
                {
                    _gate.Exit();
                }
            }
        }
    }
}
