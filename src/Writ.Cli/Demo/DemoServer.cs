namespace Writ.Cli.Demo;

// The Writ the demo talks to: its URL and issuer, an unscoped admin token, and the data directory the
// gateway shares with it (SQLite store and root key). Started is true when the demo runs it itself.
internal sealed record DemoServer(Uri Url, string Issuer, string AdminToken, string DataDirectory, bool Started);
