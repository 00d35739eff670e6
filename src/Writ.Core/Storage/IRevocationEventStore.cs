namespace Writ.Core.Storage;

/// <summary>The ordered revocation event stream and Shared Signals streams.</summary>
public interface IRevocationEventStore
{
}
