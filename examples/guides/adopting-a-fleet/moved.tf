# After applying generated.tf as terraform query wrote it: delete
# generated.tf, add main.tf, and say where each generated resource went.
# terraform query names them after the list block, numbered in the order
# of the bots' keys: read the names from generated.tf.
moved {
  from = viber_webhook.fleet_0
  to   = viber_webhook.bots["alerts"]
}

moved {
  from = viber_webhook.fleet_1
  to   = viber_webhook.bots["sales"]
}

moved {
  from = viber_webhook.fleet_2
  to   = viber_webhook.bots["support"]
}
