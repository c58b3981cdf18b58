module example.com/terraform-provider-example

go 1.26.8

require (
	example.com/framework v1.2.0
	example.com/testing v0.3.0
)

require example.com/proto v1.0.0 // indirect
