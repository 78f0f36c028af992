using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.Workflows.Hosting;

/// <summary>Fires due timers in the background; runs on every replica when enabled.</summary>
internal sealed partial class WorkflowTimerWorker(
    IWorkflowRuntime runtime, IOptions<WorkflowOptions> options, TimeProvider time, ILogger<WorkflowTimerWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RunTimerWorker) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // While timers keep falling due, claim again straight away; sleep only when nothing was due, so a
                // timer waits for the poll interval only after a quiet spell.
                if (await runtime.FireDueTimersAsync(stoppingToken) > 0) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailure(logger, e);
            }

            try
            {
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing workflow timers failed; retrying after the poll interval")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
