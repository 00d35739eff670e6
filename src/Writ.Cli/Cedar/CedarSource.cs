namespace Writ.Cli.Cedar;

// The text of one input and the name to show in messages: the path as typed, or <stdin>.
internal sealed record CedarSource(string Name, string Text);
