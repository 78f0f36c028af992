using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Enterprises.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RatingsTaskJournalAndIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorName",
                table: "timeline",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorName",
                table: "timeline");
        }
    }
}
