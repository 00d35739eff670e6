using System.CommandLine;
using Writ.Cli.Output;

namespace Writ.Cli.Cedar;

// One run of a `writ cedar` verb: its parsed command line, the shared I/O and where results go.
internal sealed record CedarInvocation(CedarIo Io, ParseResult ParseResult, CommandOutput Output)
{
    public bool Json => Output.Json;

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? Get<T>(Argument<T> argument) => ParseResult.GetValue(argument);
}
