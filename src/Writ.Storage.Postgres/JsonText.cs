namespace Writ.Storage.Postgres;

/// <summary>A parameter value that is JSON text, sent as <c>jsonb</c>.</summary>
internal sealed record JsonText(string Text);
