using System.Diagnostics;
using System.Globalization;

namespace Writ.Cli.Demo;

// A process the demo started (`writ dev`, `writ gateway`, npm, PostgreSQL's programs), with the tail of its
// output kept for error messages. Disposal stops it as a service manager would: SIGTERM, then a kill.
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly Queue<string> tail = new();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    // The last lines the process printed, for an error message that says why it failed.
    public string RecentOutput
    {
        get
        {
            lock (tail)
            {
                return string.Join('\n', tail);
            }
        }
    }

    public static ChildProcess Start(string name, ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new DemoException($"could not start {name} ({info.FileName})");

        // Nothing is ever typed into a child; a closed stdin also keeps it from waiting for a terminal.
        process.StandardInput.Close();
        return new ChildProcess(name, process);
    }

    // Runs a program to its end and returns its exit code and output (stdout then stderr).
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan bound, CancellationToken cancellationToken)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new DemoException($"could not start {info.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new DemoException($"{Path.GetFileName(info.FileName)} {string.Join(' ', info.ArgumentList)} did not finish within {bound.TotalSeconds:0} s");
        }

        return (process.ExitCode, string.Concat(await stdout, await stderr));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                await TerminateAsync();
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private async Task TerminateAsync()
    {
        if (!OperatingSystem.IsWindows())
        {
            // SIGTERM lets `writ dev` and `writ gateway` stop gracefully: queued audit records are committed
            // and the gateway ends the MCP servers it launched.
            var signal = new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } };
            try
            {
                await RunAsync(signal, TimeSpan.FromSeconds(5), CancellationToken.None);
                using var graceful = new CancellationTokenSource(GracefulStop);
                await process.WaitForExitAsync(graceful.Token);
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or DemoException or System.ComponentModel.Win32Exception)
            {
                // Did not stop in time (or no kill program): end it below.
            }
        }

        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // It ended in the meantime.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line);
            while (tail.Count > KeptLines)
            {
                tail.Dequeue();
            }
        }
    }

    public override string ToString() => $"{Name} (pid {process.Id})";
}
