namespace Songjiang.EventBus.Tests.Support;

/// <summary>
/// Every test class that uses the broker shares one virtual host and runs one after another: the resilience tests
/// stop and start the whole broker, which must not happen under another class's feet.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ broker";
}
