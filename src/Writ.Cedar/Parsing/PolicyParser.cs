using Writ.Cedar.Ast;
using Writ.Cedar.Values;

namespace Writ.Cedar.Parsing;

/// <summary>
/// Parses Cedar policy text. Errors are thrown as <see cref="CedarParseException"/> with line, column and a caret excerpt;
/// the <c>TryParse</c> forms return them instead. Limits come from <see cref="ParserOptions"/>.
/// </summary>
public static class PolicyParser
{
    /// <summary>Parses every policy and template in <paramref name="text"/>; ids are <c>policy0</c>, <c>policy1</c>, … in text order.</summary>
    public static IReadOnlyList<Policy> ParsePolicies(string text, ParserOptions? options = null) =>
        new Parser(text, options ?? ParserOptions.Default).ParsePolicies();

    /// <summary>Parses policies from UTF-8 bytes; invalid UTF-8 is a parse error at the offending byte.</summary>
    public static IReadOnlyList<Policy> ParsePoliciesUtf8(ReadOnlySpan<byte> utf8, ParserOptions? options = null) =>
        ParsePolicies(DecodeUtf8(utf8, options ?? ParserOptions.Default), options);

    /// <summary>Decodes UTF-8 strictly (a leading byte-order mark is dropped), reporting the first invalid byte.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> utf8, ParserOptions? options = null)
    {
        options ??= ParserOptions.Default;
        if (utf8.Length > (long)options.MaxSourceLength * 4)
        {
            throw new CedarParseException($"policy text is {utf8.Length} bytes, more than the limit");
        }

        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        var status = System.Text.Unicode.Utf8.ToUtf16(utf8, new char[utf8.Length], out var read, out var written, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            throw new CedarParseException($"invalid UTF-8 at byte {read}");
        }

        return System.Text.Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Parses policies, returning the error instead of throwing.</summary>
    public static bool TryParsePolicies(string text, out IReadOnlyList<Policy> policies, out CedarParseException? error, ParserOptions? options = null)
    {
        try
        {
            policies = ParsePolicies(text, options);
            error = null;
            return true;
        }
        catch (CedarParseException ex)
        {
            policies = [];
            error = ex;
            return false;
        }
    }

    /// <summary>Parses exactly one policy or template.</summary>
    public static Policy ParsePolicy(string text, string id = "policy0", ParserOptions? options = null) =>
        new Parser(text, options ?? ParserOptions.Default).ParseSinglePolicy(id);

    /// <summary>Parses one expression.</summary>
    public static Expr ParseExpression(string text, ParserOptions? options = null) =>
        new Parser(text, options ?? ParserOptions.Default).ParseStandaloneExpr();

    /// <summary>Parses an entity reference such as <c>Acme::User::"alice"</c>.</summary>
    public static EntityUid ParseEntityUid(string text, ParserOptions? options = null) =>
        new Parser(text, options ?? ParserOptions.Default).ParseStandaloneEntityUid();

    /// <summary>Parses a name such as <c>Acme::User</c>.</summary>
    public static EntityType ParseName(string text, ParserOptions? options = null) =>
        new Parser(text, options ?? ParserOptions.Default).ParseStandaloneName();
}
