using Writ.Cli;

return await WritCli.RunAsync(args, CliContext.FromProcess());
