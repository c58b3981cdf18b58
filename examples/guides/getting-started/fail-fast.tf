provider "viber" {
  retry {
    max_attempts = 1 # while debugging: fail at the first refusal
  }
}
