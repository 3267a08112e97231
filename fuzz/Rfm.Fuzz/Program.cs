using Rfm.Fuzz;
using SharpFuzz;

// rfm's readers of untrusted bytes under AFL++ (see docs/fuzzing.md): `Rfm.Fuzz TARGET` is run by afl-fuzz;
// `Rfm.Fuzz TARGET FILE...` runs the target once on each file, to replay a corpus or a crash.
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Rfm.Fuzz TARGET [FILE...]; the targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        target(bytes.ToArray());
    });
    return 0;
}

foreach (var file in args[1..])
{
    target(File.ReadAllBytes(file));
    Console.WriteLine($"{file}: no fault");
}

return 0;
