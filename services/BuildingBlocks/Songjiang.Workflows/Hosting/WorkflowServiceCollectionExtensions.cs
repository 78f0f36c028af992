using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Songjiang.Workflows.Calendar;
using Songjiang.Workflows.Hosting;
using Songjiang.Workflows.Persistence;
using Songjiang.Workflows.Runtime;

namespace Songjiang.Workflows;

/// <summary>Registers the workflow runtime in a host.</summary>
public static class WorkflowServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime on the host's <typeparamref name="TContext"/> (whose model must call
    /// <see cref="WorkflowModelBuilderExtensions.AddWorkflows"/>), the timer worker and the <c>Workflows</c>
    /// options. The host also registers an <see cref="IWorkflowEventPublisher"/> bound to its outbox.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflows<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.Services.AddWorkflows<TContext>();
        return builder;
    }

    /// <inheritdoc cref="AddWorkflows{TContext}(IHostApplicationBuilder)"/>
    public static IServiceCollection AddWorkflows<TContext>(this IServiceCollection services, Action<WorkflowOptions>? configure = null)
        where TContext : DbContext
    {
        var options = services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.SectionName);
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IValidateOptions<WorkflowOptions>, WorkflowOptionsValidator>();
        options.ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(WorkingDayCalendar.China);
        services.TryAddSingleton<DefinitionCache>();
        services.TryAddSingleton<UnitFactory>();
        services.TryAddSingleton<OwnTransactionRunner<TContext>>();
        services.TryAddSingleton<IWorkflowRuntime, WorkflowRuntime<TContext>>();
        services.AddHostedService<WorkflowTimerWorker>();
        return services;
    }

    private sealed class WorkflowOptionsValidator : IValidateOptions<WorkflowOptions>
    {
        public ValidateOptionsResult Validate(string? name, WorkflowOptions options) =>
            options.Validate().ToList() is { Count: > 0 } errors
                ? ValidateOptionsResult.Fail(errors)
                : ValidateOptionsResult.Success;
    }
}
