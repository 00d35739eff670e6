namespace Writ.Cli.Demo;

// What `writ demo` was asked: where Writ is (or where to start it), as whom, with which data directory.
internal sealed record DemoOptions(Uri Server, string? Token, string? Data, bool Keep, bool Json);
