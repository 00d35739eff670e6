using System.CommandLine;
using System.Text;
using Writ.Cli.Output;

namespace Writ.Cli.Cedar;

// What the `writ cedar` verbs share: reading files and standard input, and running an action so that every
// input problem becomes one `error:` message on stderr and an exit code.
internal sealed class CedarIo(CliContext context, TextReader standardInput)
{
    // Far above any real policy set or entity file, low enough that a wrong path (a disk image) fails fast.
    public const int MaxInputSize = 64 * 1024 * 1024;

    public const string StdinName = "<stdin>";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public CliContext Context { get; } = context;

    public string FullPath(string path) => Path.GetFullPath(path, Context.WorkingDirectory);

    // Reads a file, or standard input when the path is absent or "-".
    public CedarSource Read(string? path, string what)
    {
        if (path is null or "-")
        {
            return new CedarSource(StdinName, ReadStandardInput(what));
        }

        var full = FullPath(path);
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                throw Unreadable(path, what, Directory.Exists(full) ? "it is a directory" : "no such file");
            }

            return new CedarSource(path, Decode(ReadBounded(full, path, what), what, path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, e.Message, e);
        }
    }

    public void SetAction(Command verb, Func<CedarInvocation, int> action)
    {
        verb.SetAction(parseResult =>
        {
            var json = JsonRequested(parseResult);
            var invocation = new CedarInvocation(this, parseResult, new CommandOutput(Context, json));
            try
            {
                return action(invocation);
            }
            catch (CedarInputException e)
            {
                WriteError("error: " + e.Message);
                return e.ExitCode;
            }
        });
    }

    public void WriteError(string line)
    {
        Context.Error.WriteLine(line);
        Context.Error.Flush();
    }

    // `--json` is the root's global option; found by name so the Cedar verbs need no handle on it.
    private static bool JsonRequested(ParseResult parseResult)
    {
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in result.Command.Options)
            {
                if (option is Option<bool> { Name: "--json" } json)
                {
                    return parseResult.GetValue(json);
                }
            }
        }

        return false;
    }

    // Bounded by what is read, not by the reported length: devices and pipes (/dev/zero, <(...)) report 0.
    private static byte[] ReadBounded(string fullPath, string name, string what)
    {
        using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = file.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxInputSize)
            {
                throw Unreadable(name, what, $"larger than {MaxInputSize / (1024 * 1024)} MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static CedarInputException Unreadable(string name, string what, string why, Exception? inner = null) =>
        new(new CedarDiagnostic(name, $"cannot read {what}: {why}"), inner);

    private static string Decode(byte[] bytes, string what, string name)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException e)
        {
            throw Unreadable(name, what, "not valid UTF-8", e);
        }
    }

    private string ReadStandardInput(string what)
    {
        var buffer = new char[81920];
        var text = new StringBuilder();
        int read;
        while ((read = standardInput.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length + read > MaxInputSize)
            {
                throw Unreadable(StdinName, what, $"larger than {MaxInputSize / (1024 * 1024)} MiB");
            }

            text.Append(buffer, 0, read);
        }

        return text.Length > 0 && text[0] == '\uFEFF' ? text.ToString(1, text.Length - 1) : text.ToString();
    }
}
