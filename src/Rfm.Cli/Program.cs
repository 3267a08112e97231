using Rfm.Cli;

return RfmCommandLine.Run(
    args,
    new CliConsole(Console.OpenStandardInput(), Console.Out, Console.Error, ShowProgress: !Console.IsErrorRedirected, OutIsTerminal: !Console.IsOutputRedirected));
