namespace Writ.Server;

internal static class ServerAssembly;
