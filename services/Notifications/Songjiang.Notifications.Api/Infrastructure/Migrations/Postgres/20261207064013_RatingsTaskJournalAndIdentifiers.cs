using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Notifications.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RatingsTaskJournalAndIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "stream_leases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ReplicaId = table.Column<Guid>(type: "uuid", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EvictedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stream_leases", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_stream_leases_ReplicaId_EvictedAt",
                table: "stream_leases",
                columns: new[] { "ReplicaId", "EvictedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stream_leases_SeenAt",
                table: "stream_leases",
                column: "SeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_stream_leases_UserId_OpenedAt",
                table: "stream_leases",
                columns: new[] { "UserId", "OpenedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stream_leases");
        }
    }
}
