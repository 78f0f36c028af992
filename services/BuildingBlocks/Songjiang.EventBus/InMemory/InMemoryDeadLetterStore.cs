using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

internal sealed class InMemoryDeadLetterStore(InMemoryBroker broker, IOptions<EventBusOptions> options) : IDeadLetterStore
{
    private readonly string _appId = options.Value.AppId;

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct) =>
        Task.FromResult(broker.DeadLettersOf(_appId).Take(limit));

    public Task<bool> ReplayAsync(string messageId, CancellationToken ct)
    {
        if (broker.DeadLettersOf(_appId).Remove(messageId) is not { } deadLetter)
        {
            return Task.FromResult(false);
        }

        broker.Bind(_appId, deadLetter.Topic)
            .Enqueue(new InMemoryMessage(deadLetter.MessageId, System.Text.Encoding.UTF8.GetBytes(deadLetter.Envelope)));
        return Task.FromResult(true);
    }
}
