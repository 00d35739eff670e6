using Spectre.Console;

namespace Writ.Cli.Audit;

// Progress of a long verification on standard error, so standard output keeps only the result:
// a live bar on a terminal, a line per tenth of the log otherwise (for large logs only).
internal static class VerifyProgress
{
    private const long PlainLinesFrom = 100_000;

    public static async Task<T> RunAsync<T>(CliContext context, bool show, long total, Func<IProgress<long>?, Task<T>> work)
    {
        if (!show || total <= 0)
        {
            return await work(null);
        }

        if (!Console.IsErrorRedirected && context.OutputIsTerminal)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            T result = default!;
            await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("Verifying audit records", maxValue: total);
                    result = await work(new Callback(done => task.Value = done));
                    task.Value = total;
                });
            return result;
        }

        if (total < PlainLinesFrom)
        {
            return await work(null);
        }

        var step = Math.Max(1, total / 10);
        var next = step;
        return await work(new Callback(done =>
        {
            if (done >= next)
            {
                context.Error.WriteLine($"verified {done} of {total} records");
                context.Error.Flush();
                next += step;
            }
        }));
    }

    // Reports synchronously: Progress<T> would post to the thread pool and print out of order.
    private sealed class Callback(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
