using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Notifications.Api.Infrastructure.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ReplicaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EvictedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
