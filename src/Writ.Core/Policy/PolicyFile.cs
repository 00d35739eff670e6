namespace Writ.Core.Policy;

/// <summary>One file of a policy set or named policy store: Cedar text (<c>*.cedar</c>) or Cedar JSON policies (<c>*.json</c>).</summary>
/// <param name="Name">The file name, which also prefixes the ids of its policies that carry no <c>@id</c> annotation.</param>
/// <param name="Text">The file's content.</param>
public sealed record PolicyFile(string Name, string Text);
