using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Writ.Server;

namespace Writ.Cli.Hosting;

// Runs the control plane in this process until Ctrl+C or SIGTERM, reporting start-up failures as one clear line.
internal static class ControlPlaneHost
{
    public static async Task<int> RunAsync(WritServerOptions options, CliContext context, Action<WritStartupInfo> started, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = WritApp.Build(options);
        }
        catch (Exception e)
        {
            // Configuration errors say what to fix; a stack trace would only bury that.
            return Fail(context, $"Writ did not start: {e.Message}");
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                return Fail(context, $"cannot listen: {e.Message.TrimEnd('.')}. Stop whatever uses the address, or choose another with --urls.");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            catch (Exception e)
            {
                return Fail(context, $"Writ did not start: {e.Message}");
            }

            started(WritApp.GetStartupInfo(app));

            // The host's console lifetime turns Ctrl+C and SIGTERM into a graceful stop; this returns once it is done.
            await app.WaitForShutdownAsync(cancellationToken);
        }

        return ExitCodes.Ok;
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine("error: " + message);
        context.Error.Flush();
        return ExitCodes.Error;
    }
}
