using System.CommandLine;
using System.Text;

namespace Writ.Cli.Commands;

// Where a connection secret comes from. Never a command-line argument: arguments land in shell
// history and in every process listing. Standard input or a file (mode 0600 recommended) only.
internal sealed class ConnectionSecretInput
{
    private const int MaxSecretBytes = 8 * 1024;

    public Option<bool> Stdin { get; } = new("--secret-stdin") { Description = "Read the secret from standard input (one trailing newline is dropped)" };

    public Option<string?> File { get; } = new("--secret-file") { Description = "Read the secret from this file (one trailing newline is dropped)", HelpName = "file" };

    public void AddTo(Command command)
    {
        command.Options.Add(Stdin);
        command.Options.Add(File);
    }

    // The secret, or null when neither option was given.
    public string? Read(AdminInvocation call)
    {
        var fromStdin = call.Get(Stdin);
        var path = call.Get(File);
        if (fromStdin && path is not null)
        {
            throw new CliException("give the secret with --secret-stdin or --secret-file, not both.", ExitCodes.Usage);
        }

        string text;
        if (fromStdin)
        {
            text = ReadBounded(Console.In);
        }
        else if (path is not null)
        {
            if (!System.IO.File.Exists(path))
            {
                throw new CliException($"--secret-file {path} does not exist.", ExitCodes.Usage);
            }

            if (new FileInfo(path).Length > MaxSecretBytes + 2)
            {
                throw new CliException($"--secret-file {path} is larger than {MaxSecretBytes} bytes; a connection secret is at most that long.", ExitCodes.Usage);
            }

            text = System.IO.File.ReadAllText(path, Encoding.UTF8);
        }
        else
        {
            return null;
        }

        text = DropOneNewline(text);
        if (text.Length == 0)
        {
            throw new CliException("the secret is empty; pass it on standard input (--secret-stdin) or in a file (--secret-file).", ExitCodes.Usage);
        }

        return text;
    }

    private static string ReadBounded(TextReader reader)
    {
        var buffer = new char[MaxSecretBytes + 3];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = reader.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxSecretBytes + 2)
        {
            throw new CliException($"the secret on standard input is longer than {MaxSecretBytes} bytes.", ExitCodes.Usage);
        }

        return new string(buffer, 0, length);
    }

    private static string DropOneNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
}
