namespace Writ.Core.Storage;

/// <summary>Versioned policy sets and named policy stores.</summary>
public interface IPolicyStore
{
}
