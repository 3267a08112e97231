using Rfm.Cli;

return RfmCommandLine.Run(args, new CliConsole(Console.In, Console.Out, Console.Error, ShowProgress: !Console.IsErrorRedirected));
