# Every event, with the user's name and photo for users who allow
# Content Personalization. Omitting event_types is what asks for every event.
resource "viber_webhook" "crm_bot" {
  url        = "https://crm.example.com/hooks/viber"
  send_name  = true
  send_photo = true
}
